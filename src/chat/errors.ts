/** A failure the API reports to its caller: a stable code, an HTTP status and a message for people. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
    /** For the log line only; never sent to the client. */
    readonly detail?: string,
  ) {
    super(message);
  }
}
