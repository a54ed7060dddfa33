import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorCode } from '../../contract/codes.js';
import type { TextIssueParams } from '../../contract/common.js';
import { AppError } from '../../errors/app-error.js';
import { errorFields } from '../../log/logger.js';
import { clientText } from './client-text.js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from './database-errors.js';

/** The one way an error body is written; the message is stripped of AWS resource ids on the way out. */
export function sendError(reply: FastifyReply, status: number, code: ErrorCode, message: string): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message: clientText(message) } });
}

const DATABASE_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL's five-character SQL state of a driver error, for the operator's log line. */
function sqlStateOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && typeof (error as FastifyError).code === 'string';
}

/** The API code a contract text field attached to its issue (fastify-type-provider-zod keeps zod's `params` under `params`). */
function textIssueCode(params: unknown): TextIssueParams['apiCode'] | null {
  const inner = (params as { params?: Partial<TextIssueParams> } | undefined)?.params;
  const apiCode = inner?.apiCode;
  return apiCode === 'invalid_text' || apiCode === 'message_empty' || apiCode === 'message_too_long' ? apiCode : null;
}

/**
 * A request the contract's schemas refused: 400 with the first problem as `field: message`, coded
 * by the schema (text problems), by the endpoint (`fieldErrors`: a bad language is
 * `invalid_language`) or `invalid_request`; a malformed path parameter is the endpoint's 404.
 */
function validationFailure(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const endpoint = request.routeOptions.config.endpoint;
  if (error.validationContext === 'params' && endpoint?.notFound) {
    return sendError(reply, 404, endpoint.notFound, 'No such resource.');
  }
  const issue = error.validation?.[0];
  const field = issue?.instancePath.replace(/^\//, '').replaceAll('/', '.') || (error.validationContext ?? 'body');
  const apiCode = textIssueCode(issue?.params);
  if (issue && apiCode) {
    return sendError(reply, apiCode === 'message_too_long' ? 413 : 400, apiCode, issue.message ?? 'The text is not valid.');
  }
  return sendError(reply, 400, endpoint?.fieldErrors?.[field] ?? 'invalid_request', `${field}: ${issue?.message ?? 'invalid'}`);
}

function fastifyFailure(error: FastifyError, reply: FastifyReply): FastifyReply | null {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return sendError(reply, 400, 'invalid_json', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendError(reply, 413, 'payload_too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendError(reply, 415, 'unsupported_media_type', 'Send the request body as application/json.');
    case 'FST_ERR_BAD_URL':
      return sendError(reply, 400, 'bad_request', 'The URL is not valid (bad percent-encoding).');
    default:
      if (error.statusCode === 414) return sendError(reply, 414, 'uri_too_long', 'The URL is too long.');
      if (error.statusCode === 429) return sendError(reply, 429, 'rate_limited', 'Too many requests; please wait a moment.');
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return sendError(reply, error.statusCode, 'invalid_request', error.message);
      }
      return null;
  }
}

/** Maps anything thrown in a route to `{error:{code,message}}`; stacks and internals go to the log only. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AppError) {
    if (reply.raw.destroyed) return reply; // the caller left (a cancelled translation): nobody to answer
    if (error.statusCode >= 500) request.log.error({ ...errorFields(error), detail: error.detail }, 'request failed');
    if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
    return sendError(reply, error.statusCode, error.code, error.message);
  }
  if (hasZodFastifySchemaValidationErrors(error)) return validationFailure(error, request, reply);
  if (error instanceof Error && isResponseSerializationError(error)) {
    // The server broke its own contract: a bug, logged with the schema's complaint.
    request.log.error({ ...errorFields(error), issues: String(error.cause) }, 'response does not match the contract');
    return sendError(reply, 500, 'internal_error', 'Something went wrong on our side; the error has been logged.');
  }
  // A client that went away mid-request (an aborted body): nobody to answer, and no dependency failed.
  // (The request stream itself is destroyed after every fully read body: look at the connection.)
  if (request.raw.socket.destroyed || reply.raw.destroyed) {
    request.log.info({ ...errorFields(error), event: 'client_aborted' }, 'client aborted the request');
    return reply;
  }
  // Before the Fastify check: driver errors carry string codes too (57P01, 42501, ECONNREFUSED, SQLITE_BUSY).
  if (isDatabaseUnavailable(error)) {
    request.log.error({ ...errorFields(error), sqlState: sqlStateOf(error) }, 'database unavailable');
    reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
    return sendError(reply, 503, 'database_unavailable', DATABASE_UNAVAILABLE_MESSAGE);
  }
  if (isFastifyError(error)) {
    const sent = fastifyFailure(error, reply);
    if (sent) return sent;
  }
  request.log.error(errorFields(error), 'unhandled error');
  return sendError(reply, 500, 'internal_error', 'Something went wrong on our side; the error has been logged.');
}
