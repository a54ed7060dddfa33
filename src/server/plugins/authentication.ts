import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../../auth/authenticator.js';
import { AuthenticationError, AuthenticationUnavailableError } from '../../auth/errors.js';
import { errorFields } from '../../log/logger.js';
import { sendError } from '../http/errors.js';
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from '../http/database-errors.js';
import { isAdmin } from '../../auth/principal.js';
import '../http/endpoint-route.js';
import '../http/access.js';

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Authenticates every request of the scope it is installed in (/api) unless its endpoint is
 * `public` — unknown URLs included, so a 404 tells nothing to a caller without credentials
 * (onRequest, before the body is read): sets request.principal and binds the user id into the
 * request's logger, or answers 401 unauthorized. The reason for a refusal is logged, never sent
 * (it would help someone probing forged tokens). Then `admin` endpoints refuse agents with 403.
 */
export function installAuthentication(app: FastifyInstance, authenticator: Authenticator): void {
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const access = request.routeOptions.config.endpoint?.access ?? 'user';
    if (access === 'public') return undefined;
    try {
      const principal = await authenticator.authenticate({
        authorization: firstHeader(request.headers.authorization),
        oidcData: firstHeader(request.headers['x-amzn-oidc-data']),
      });
      request.principal = principal;
      const log = request.log.child({ userId: principal.userId ?? 'anonymous', role: principal.role });
      request.log = log;
      reply.log = log;
      if (access === 'admin' && !isAdmin(principal)) return sendError(reply, 403, 'forbidden', 'This needs the admin role.');
      return undefined;
    } catch (error) {
      if (error instanceof AuthenticationError) {
        request.log.info({ authMode: authenticator.mode, reason: error.reason, detail: error.message }, 'authentication refused');
        if (authenticator.mode === 'token') reply.header('www-authenticate', 'Bearer realm="dualnova"');
        return sendError(reply, 401, 'unauthorized', 'Sign in to use dualnova (missing, invalid or expired credentials).');
      }
      if (error instanceof AuthenticationUnavailableError) {
        request.log.error({ ...errorFields(error.cause ?? error), detail: error.message }, 'authentication unavailable');
        return sendError(reply, 503, 'authentication_unavailable', 'Sign-in cannot be checked right now; please try again shortly.');
      }
      if (isDatabaseUnavailable(error)) {
        request.log.error(errorFields(error), 'token lookup failed: database unavailable');
        reply.header('retry-after', '5');
        return sendError(reply, 503, 'database_unavailable', DATABASE_UNAVAILABLE_MESSAGE);
      }
      throw error;
    }
  });
}
