import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors/app-error.js';
import type { Principal } from '../../auth/principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every /api request; null elsewhere. */
    principal: Principal | null;
  }
}

/** The caller of an /api route. Fails closed: a route reached without authentication is a 401, never anonymous. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('unauthorized', 401, 'Sign in to use this endpoint.');
  return request.principal;
}

/**
 * The owner key for repository filters: the caller's user id (null = the anonymous user of
 * AUTH_MODE=none). Admins are filtered too: everyone's conversations are nobody's business.
 */
export function ownerOf(request: FastifyRequest): string | null {
  return principalOf(request).userId;
}
