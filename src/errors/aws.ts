import { networkCodeOf } from './network.js';
import type { DependencyState } from '../contract/status.js';

/** What kind of failure an AWS call ended in, independent of the service. */
export type AwsFailureKind =
  /** IAM refused the action (AccessDenied / AccessDeniedException / 403). */
  | 'denied'
  /** AWS refused the credentials themselves (invalid, expired, wrong signature). */
  | 'credentials'
  /** The SDK found no credentials at all. */
  | 'no-credentials'
  | 'throttled'
  | 'not-found'
  /** The request was refused as invalid (4xx other than the above). */
  | 'invalid'
  /** The service failed (5xx). */
  | 'server'
  /** No connection: refused, reset, DNS, or the client's own connection/request timeout. */
  | 'unreachable'
  /** Our deadline passed before any answer. */
  | 'timeout'
  | 'unknown';

export interface AwsFailure {
  kind: AwsFailureKind;
  /** The dependency state this failure means on its own. */
  state: DependencyState;
  /** SDK error name (`AccessDeniedException`, `ECONNREFUSED`...). */
  name: string;
  message: string;
  httpStatus?: number;
  /** The IAM action quoted by an AccessDenied message ("... is not authorized to perform: X ..."). */
  deniedAction?: string;
  /** An explicit Deny (SCP, permissions boundary, resource policy): adding an Allow will not help. */
  explicitDeny?: boolean;
  /** One line for people: what happened, without stack or request ids. */
  summary: string;
}

const DENIED_NAMES = new Set(['AccessDeniedException', 'AccessDenied', 'AccessDeniedError', 'AuthorizationError', 'UnauthorizedOperation']);
const CREDENTIAL_NAMES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'IncompleteSignatureException',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'AuthFailure',
  'InvalidAccessKeyId',
]);
const THROTTLED_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
  'LimitExceededException',
  'ServiceQuotaExceededException',
]);
const NOT_FOUND_NAMES = new Set(['ResourceNotFoundException', 'ResourceNotFound', 'NotFoundException', 'NoSuchEntity']);
const SERVER_NAMES = new Set([
  'InternalServerException',
  'InternalServerError',
  'InternalServiceError',
  'InternalServiceFault',
  'InternalServiceErrorException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ServiceFailure',
  'ModelNotReadyException',
  'ModelTimeoutException',
  'ModelStreamErrorException',
  'ModelErrorException',
]);

const INVALID_NAMES = new Set([
  'ValidationException',
  'ValidationError',
  'InvalidParameterValue',
  'InvalidParameterException',
  'BadRequestException',
]);

const DENIED_ACTION = /is not authorized to perform:?\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)/;
const ALLOWS_ACTION = /allows the ([A-Za-z0-9-]+:[A-Za-z0-9*]+) action/;

/** The IAM action an AccessDenied message names, when it names one. */
export function parseDeniedAction(message: string): string | undefined {
  return DENIED_ACTION.exec(message)?.[1] ?? ALLOWS_ACTION.exec(message)?.[1];
}

interface ErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  Code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/** A message with request ids and ARNs of the caller kept (they help), but cut to one readable line. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/**
 * Classifies whatever an SDK v3 call threw. `timedOut` says whether our own deadline fired (the SDK
 * then reports a plain AbortError, indistinguishable from a cancellation).
 */
export function describeAwsError(error: unknown, options: { timedOut?: boolean; timeoutMs?: number } = {}): AwsFailure {
  const e: ErrorShape = typeof error === 'object' && error !== null ? error : { message: String(error) };
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : typeof e.code === 'string' ? e.code : 'Error';
  const message = oneLine(typeof e.message === 'string' ? e.message : String(error));
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const base = { name, message, ...(status === undefined ? {} : { httpStatus: status }) };
  const make = (kind: AwsFailureKind, state: DependencyState, summary: string, extra: Partial<AwsFailure> = {}): AwsFailure => ({
    kind,
    state,
    ...base,
    summary,
    ...extra,
  });

  const denied = (): AwsFailure => {
    const deniedAction = parseDeniedAction(message);
    const explicitDeny = /explicit deny/i.test(message);
    return make('denied', 'denied', `${name}: ${message}`, {
      ...(deniedAction ? { deniedAction } : {}),
      ...(explicitDeny ? { explicitDeny } : {}),
    });
  };
  const throttled = (): AwsFailure => make('throttled', 'degraded', `throttled (${name}); the SDK retried and gave up`);
  const server = (): AwsFailure =>
    make('server', 'error', `the service failed (${name}${status === undefined ? '' : `, HTTP ${status}`}): ${message}`);

  if (options.timedOut) {
    return make('timeout', 'unreachable', `no answer within ${options.timeoutMs ?? '?'} ms`);
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return make('no-credentials', 'unconfigured', 'no AWS credentials could be loaded');
  }
  if (DENIED_NAMES.has(name)) return denied();
  if (CREDENTIAL_NAMES.has(name)) {
    return make('credentials', 'denied', `AWS rejected the credentials (${name}): ${message}`);
  }
  if (THROTTLED_NAMES.has(name)) return throttled();
  if (NOT_FOUND_NAMES.has(name)) return make('not-found', 'error', `${name}: ${message}`);
  if (SERVER_NAMES.has(name)) return server();
  if (INVALID_NAMES.has(name)) return make('invalid', 'error', `${name}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}`);
  const code = networkCodeOf(error);
  if (code) {
    return make('unreachable', 'unreachable', `cannot connect (${code}): ${message}`);
  }
  if (name === 'TimeoutError' || name === 'RequestTimeout' || name === 'RequestTimeoutException') {
    return make('unreachable', 'unreachable', `the connection or request timed out (${message})`);
  }
  // Names this list does not know: the HTTP status says what kind of failure it was.
  if (status === 403) return denied();
  if (status === 429) return throttled();
  if (status === 404) return make('not-found', 'error', `${name}: ${message}`);
  if ((status !== undefined && status >= 500) || e.$fault === 'server') return server();
  if (status !== undefined && status >= 400) {
    return make('invalid', 'error', `${name} (HTTP ${status}): ${message}`);
  }
  if (name === 'AbortError') {
    return make('unknown', 'error', 'the call was cancelled');
  }
  return make('unknown', 'error', `${name}: ${message}`);
}
