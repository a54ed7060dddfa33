/**
 * A wire-level fake of AWS Secrets Manager (AWS JSON 1.1) for the real SDK v3 client, on
 * 127.0.0.1: POST /, `content-type: application/x-amz-json-1.1`, `x-amz-target:
 * secretsmanager.<Action>`; errors as `{"__type": "...", "Message": "..."}`.
 * Implements GetSecretValue and DescribeSecret; secrets are found by name, full ARN or partial ARN.
 *
 *   const sm = await startFakeSecretsManager({ secrets: [{ name: 'dualnova/test/settings', secretString: '{"RETRIEVE_TOP_K":"3"}' }] });
 *   process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = sm.url;
 */
import {
  accessDeniedMessage,
  applyScript,
  controlsFrom,
  FaultTable,
  signingScope,
  startHttpFakeServer,
  type FaultControls,
  type HttpReply,
  type NamedFault,
  type RecordedAwsRequest,
} from './aws-http-fake.js';

export interface FakeSecret {
  name: string;
  secretString?: string;
  /** base64 */
  secretBinary?: string;
  kmsKeyId?: string;
  /** Epoch seconds: the secret is scheduled for deletion (GetSecretValue then fails). */
  deletedDate?: number;
}

export interface FakeSecretsManagerOptions {
  secrets?: FakeSecret[];
  region?: string;
  accountId?: string;
}

export interface FakeSecretsManager extends FaultControls {
  url: string;
  /** Adds or replaces a secret; returns its ARN. */
  putSecret(secret: FakeSecret): string;
  arnOf(name: string): string | undefined;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'secretsmanager.';

function jsonReply(status: number, body: unknown): HttpReply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) };
}

function errorReply(status: number, type: string, message: string): HttpReply {
  return { status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: type, Message: message }) };
}

function renderFault(fault: NamedFault | { status: number; code: string; message?: string }, request: RecordedAwsRequest): HttpReply {
  if (typeof fault === 'object') return errorReply(fault.status, fault.code, fault.message ?? fault.code);
  const secretId =
    typeof request.body === 'object' && request.body !== null ? `${(request.body as { SecretId?: string }).SecretId ?? ''}` : '';
  switch (fault) {
    case 'access-denied':
      return errorReply(400, 'AccessDeniedException', accessDeniedMessage(`secretsmanager:${request.action}`, secretId));
    case 'invalid-credentials':
      return errorReply(400, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
    case 'throttling':
      return errorReply(400, 'ThrottlingException', 'Rate exceeded');
    case 'server-error':
      return errorReply(500, 'InternalServiceError', 'An error occurred on the server side.');
    default:
      return errorReply(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
  }
}

export async function startFakeSecretsManager(options: FakeSecretsManagerOptions = {}): Promise<FakeSecretsManager> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const secrets = new Map<string, FakeSecret & { arn: string; created: number }>();
  const requests: RecordedAwsRequest[] = [];
  const table = new FaultTable();
  let counter = 0;

  const putSecret = (secret: FakeSecret): string => {
    const existing = secrets.get(secret.name);
    const suffix = (existing?.arn.slice(-6) ?? `${(++counter).toString(36)}AbCdEf`.slice(0, 6)).padEnd(6, 'x');
    const arn = existing?.arn ?? `arn:aws:secretsmanager:${region}:${accountId}:secret:${secret.name}-${suffix}`;
    secrets.set(secret.name, { ...secret, arn, created: existing?.created ?? Date.now() / 1000 });
    return arn;
  };
  for (const secret of options.secrets ?? []) putSecret(secret);

  const find = (secretId: string) =>
    [...secrets.values()].find((s) => s.name === secretId || s.arn === secretId || s.arn.startsWith(`${secretId}-`));

  const server = await startHttpFakeServer(async (exchange) => {
    const target = exchange.headers['x-amz-target'] ?? '';
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    let body: unknown;
    try {
      body = exchange.rawBody === '' ? {} : JSON.parse(exchange.rawBody);
    } catch {
      body = exchange.rawBody;
    }
    const request: RecordedAwsRequest = {
      action,
      method: exchange.method,
      path: exchange.path,
      headers: exchange.headers,
      body,
      rawBody: exchange.rawBody,
      ...signingScope(exchange.headers),
      time: Date.now(),
    };
    requests.push(request);
    if (exchange.method !== 'POST' || !action || exchange.headers['content-type'] !== 'application/x-amz-json-1.1') {
      return errorReply(400, 'InvalidRequestException', `expected a JSON 1.1 POST with x-amz-target ${TARGET_PREFIX}<Action>`);
    }
    const scripted = await applyScript(table, request, renderFault, (status, replyBody) => jsonReply(status, replyBody));
    if (scripted) return scripted;
    const secretId = `${(body as { SecretId?: string }).SecretId ?? ''}`;
    const secret = find(secretId);
    if (!secret) return errorReply(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    switch (action) {
      case 'GetSecretValue':
        if (secret.deletedDate !== undefined) {
          return errorReply(
            400,
            'InvalidRequestException',
            "You can't perform this operation on the secret because it was marked for deletion.",
          );
        }
        return jsonReply(200, {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: 'fake-version-1',
          VersionStages: ['AWSCURRENT'],
          CreatedDate: secret.created,
          ...(secret.secretString === undefined ? {} : { SecretString: secret.secretString }),
          ...(secret.secretBinary === undefined ? {} : { SecretBinary: secret.secretBinary }),
        });
      case 'DescribeSecret':
        return jsonReply(200, {
          ARN: secret.arn,
          Name: secret.name,
          ...(secret.kmsKeyId ? { KmsKeyId: secret.kmsKeyId } : {}),
          RotationEnabled: false,
          LastChangedDate: secret.created,
          CreatedDate: secret.created,
          ...(secret.deletedDate === undefined ? {} : { DeletedDate: secret.deletedDate }),
          VersionIdsToStages: { 'fake-version-1': ['AWSCURRENT'] },
        });
      default:
        return errorReply(400, 'InvalidRequestException', `The fake does not implement ${action}`);
    }
  });

  return {
    url: server.url,
    ...controlsFrom(table, requests, server.hanging),
    putSecret,
    arnOf: (name) => secrets.get(name)?.arn,
    close: () => server.close(),
  };
}
