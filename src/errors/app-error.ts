import type { ErrorCode } from '../contract/codes.js';

/**
 * A failure the API reports to its caller: a code from the contract, an HTTP status, a message for
 * people, and the detail for the log line only. The server's one error handler turns it into
 * `{error:{code,message}}` (with Retry-After when `retryAfterSeconds` is set).
 */
export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly statusCode: number,
    message: string,
    readonly options: { detail?: string; retryAfterSeconds?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  get detail(): string | undefined {
    return this.options.detail;
  }

  get retryAfterSeconds(): number | undefined {
    return this.options.retryAfterSeconds;
  }
}
