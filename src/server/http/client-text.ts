/**
 * Text that reaches a client (error bodies, SSE warning/error messages) must not carry internal
 * identifiers of AWS resources: ARNs (model/inference-profile/KB/role ARNs in SDK error messages),
 * 12-digit account ids, access key ids, or values the deployment marks as sensitive (the knowledge
 * base id, the ALB ARN). Operators find the full text in the log, next to the request id.
 */
const ARN = /\barn:aws[a-z-]*:[a-z0-9-]*:[a-z0-9-]*:\d{0,12}:[^\s"'`,;)\]}]+/giu;
const ACCOUNT_ID = /(?<![\w.-])\d{12}(?![\w-])/gu;
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/gu;
const STACK_LINE = /\n\s+at [^\n]+/gu;

export function sanitizeClientText(text: string, sensitive: readonly string[] = []): string {
  let out = text
    .replace(STACK_LINE, '')
    .replace(ARN, '[aws-resource]')
    .replace(ACCESS_KEY_ID, '[access-key]')
    .replace(ACCOUNT_ID, '[account]');
  for (const value of sensitive) {
    if (value.length >= 4) out = out.split(value).join('[redacted]');
  }
  return out;
}

let configured: readonly string[] = [];

/** Values of this deployment that must be stripped too (set once at start-up). */
export function setSensitiveValues(values: readonly (string | undefined)[]): void {
  configured = values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

/** sanitizeClientText with the deployment's own sensitive values. */
export function clientText(text: string): string {
  return sanitizeClientText(text, configured);
}
