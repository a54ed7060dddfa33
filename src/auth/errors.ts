/** Why a request could not be authenticated. The reason goes to the log; clients only see 401. */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'unsupported_algorithm'
  | 'wrong_signer'
  | 'expired'
  | 'unknown_key'
  | 'bad_signature'
  | 'missing_subject'
  | 'unknown_token'
  | 'revoked';

export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The credential could not be checked for a reason that is not the caller's fault (the ALB key
 * endpoint is unreachable, the token table cannot be read): 503, not 401, so clients retry and
 * operators get paged for the right thing.
 */
export class AuthenticationUnavailableError extends Error {
  override readonly name = 'AuthenticationUnavailableError';
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
