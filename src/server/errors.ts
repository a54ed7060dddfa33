import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../chat/errors.js';
import { errorFields } from '../log/logger.js';
import { clientText } from './plugins/client-text.js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './plugins/database-errors.js';

/** The one way an error body is written; the message is stripped of AWS resource ids on the way out. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message: clientText(message) } });
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as FastifyError).code === 'string';
}

/** Maps anything thrown in a route to `{error:{code,message}}`; stacks and internals go to the log only. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    if (error.statusCode >= 500) request.log.error({ ...errorFields(error), detail: error.detail }, 'request failed');
    return sendError(reply, error.statusCode, error.code, error.message);
  }
  // Before the Fastify check: driver errors carry string codes too (57P01, ECONNREFUSED, SQLITE_BUSY).
  if (isDatabaseUnavailable(error)) {
    request.log.error(errorFields(error), 'database unavailable');
    return sendError(reply, 503, 'database_unavailable', DATABASE_UNAVAILABLE_MESSAGE);
  }
  if (isFastifyError(error)) {
    switch (error.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(reply, 400, 'invalid_json', 'The request body is not valid JSON.');
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(reply, 413, 'payload_too_large', 'The request body is too large.');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(reply, 415, 'unsupported_media_type', 'Send the request body as application/json.');
      default:
        if (error.statusCode === 429) return sendError(reply, 429, 'rate_limited', 'Too many requests; please wait a moment.');
        if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
          return sendError(reply, error.statusCode, 'invalid_request', error.message);
        }
    }
  }
  request.log.error(errorFields(error), 'unhandled error');
  return sendError(reply, 500, 'internal_error', 'Something went wrong on our side; the error has been logged.');
}
