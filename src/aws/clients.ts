import { BedrockClient } from '@aws-sdk/client-bedrock';
import { BedrockAgentClient } from '@aws-sdk/client-bedrock-agent';
import { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';

interface Destroyable {
  destroy(): void;
}

/**
 * Request handler settings for the HTTP/1.1 clients (control plane, monitoring, identity, secrets).
 * `throwOnRequestTimeout` matters: without it @smithy/node-http-handler only logs a warning when
 * `requestTimeout` passes and keeps waiting.
 */
function http1(connectionTimeout: number, requestTimeout: number) {
  return { connectionTimeout, requestTimeout, throwOnRequestTimeout: true } as const;
}

/**
 * Retry and timeout policy per client; docs/operations.md explains each choice. Background checks
 * add their own deadline on top (PROBE_TIMEOUT_MS, through an AbortSignal), so these are the
 * limits for every other caller.
 */
export const CLIENT_POLICY = {
  // Chat path. Standard mode retries throttling and 5xx before the first byte only, so a stream is
  // never replayed. HTTP/2 (the SDK's default for these two): `requestTimeout` is an idle timeout
  // per stream, so a long answer that keeps sending is never cut, but a silent one is after 60 s.
  // disableConcurrentStreams keeps the SDK's own default for these clients (one session per stream).
  bedrockRuntime: { maxAttempts: 3, retryMode: 'standard', requestHandler: { requestTimeout: 60_000, disableConcurrentStreams: true } },
  // Retrieve is on the chat path too, with the local knowledge base as fallback: give up after 15 s of silence.
  bedrockAgentRuntime: {
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: { requestTimeout: 15_000, disableConcurrentStreams: true },
  },
  // Control-plane and monitoring reads are cheap and run in the background: adaptive mode backs off
  // (client-side rate limiting) when the service throttles, instead of adding to the storm.
  bedrock: { maxAttempts: 3, retryMode: 'adaptive', requestHandler: http1(3_000, 10_000) },
  bedrockAgent: { maxAttempts: 3, retryMode: 'adaptive', requestHandler: http1(3_000, 10_000) },
  cloudwatch: { maxAttempts: 3, retryMode: 'adaptive', requestHandler: http1(3_000, 20_000) },
  // Identity: one quick retry; a wrong credential does not get better by asking again.
  sts: { maxAttempts: 2, retryMode: 'standard', requestHandler: http1(3_000, 5_000) },
  // Read once at start-up (settings) and by the background check.
  secretsManager: { maxAttempts: 3, retryMode: 'standard', requestHandler: http1(3_000, 10_000) },
} as const;

/**
 * One SDK v3 client per service and region, built on first use — never at import time.
 * No endpoint is set here, so AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> keep working,
 * as do the standard credential chain and AWS_PROFILE.
 */
export class AwsClients {
  private readonly cache = new Map<string, Destroyable>();

  private get<T extends Destroyable>(service: string, region: string, build: () => T): T {
    const key = `${service}@${region}`;
    const found = this.cache.get(key);
    if (found) return found as T;
    const client = build();
    this.cache.set(key, client);
    return client;
  }

  bedrockRuntime(region: string): BedrockRuntimeClient {
    return this.get('bedrock-runtime', region, () => new BedrockRuntimeClient({ region, ...CLIENT_POLICY.bedrockRuntime }));
  }

  bedrockAgentRuntime(region: string): BedrockAgentRuntimeClient {
    return this.get('bedrock-agent-runtime', region, () => new BedrockAgentRuntimeClient({ region, ...CLIENT_POLICY.bedrockAgentRuntime }));
  }

  bedrock(region: string): BedrockClient {
    return this.get('bedrock', region, () => new BedrockClient({ region, ...CLIENT_POLICY.bedrock }));
  }

  bedrockAgent(region: string): BedrockAgentClient {
    return this.get('bedrock-agent', region, () => new BedrockAgentClient({ region, ...CLIENT_POLICY.bedrockAgent }));
  }

  cloudwatch(region: string): CloudWatchClient {
    return this.get('cloudwatch', region, () => new CloudWatchClient({ region, ...CLIENT_POLICY.cloudwatch }));
  }

  sts(region: string): STSClient {
    return this.get('sts', region, () => new STSClient({ region, ...CLIENT_POLICY.sts }));
  }

  secretsManager(region: string): SecretsManagerClient {
    return this.get('secrets-manager', region, () => new SecretsManagerClient({ region, ...CLIENT_POLICY.secretsManager }));
  }

  destroy(): void {
    for (const client of this.cache.values()) client.destroy();
    this.cache.clear();
  }
}
