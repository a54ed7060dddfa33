import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sendError } from '../http/errors.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** `host[:port]` as a browser would put it in Host for this scheme (default port dropped), or null. */
function normalHost(scheme: string, host: string): string | null {
  try {
    return new URL(`${scheme}//${host}`).host.toLowerCase();
  } catch {
    return null;
  }
}

export function crossOriginReason(request: FastifyRequest): string | null {
  if (!STATE_CHANGING.has(request.method)) return null;
  const origin = request.headers.origin;
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'sec-fetch-site: cross-site';
  // No Origin: not a browser (curl, the CLI, server-to-server), which cannot ride on a user's session.
  if (origin === undefined) return null;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `Origin ${JSON.stringify(origin)} is not a URL`; // includes the opaque origin "null"
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `Origin scheme ${parsed.protocol}`;
  const host = request.headers.host;
  const expected = host === undefined ? null : normalHost(parsed.protocol, host);
  if (expected === null || parsed.host.toLowerCase() !== expected) return `Origin ${parsed.host} is not Host ${host ?? '(none)'}`;
  return null;
}

/**
 * Cross-site request forgery guard: a browser that sends a state-changing request from another
 * origin is refused (403 origin_mismatch). With an ALB session cookie doing the authentication,
 * this is what stops another site from posting on a signed-in agent's behalf. The Host header is
 * compared as received (the ALB preserves it); X-Forwarded-Host is not trusted for this.
 */
export function installSameOriginCheck(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const reason = crossOriginReason(request);
    if (reason === null) return;
    request.log.warn({ reason }, 'cross-origin state-changing request refused');
    return sendError(reply, 403, 'origin_mismatch', 'Cross-origin requests that change data are not allowed.');
  });
}
