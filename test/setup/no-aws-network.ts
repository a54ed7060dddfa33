/**
 * Test safety net (vitest setupFiles): no test may reach real AWS or the EC2 metadata endpoint.
 * Any SDK client without an explicit endpoint or a per-service AWS_ENDPOINT_URL_<SERVICE> lands
 * on a closed loopback port (connection refused at once), and the credential chain never asks
 * 169.254.169.254. Tests that point a service at a fake set its own variable, which wins.
 */
process.env.AWS_ENDPOINT_URL ??= 'http://127.0.0.1:9';
process.env.AWS_EC2_METADATA_DISABLED ??= 'true';
