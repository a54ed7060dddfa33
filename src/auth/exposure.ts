import { isIP } from 'node:net';
import type { AuthSettings } from '../config/security-settings.js';

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and `localhost`: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Why the server must not start with these settings, or null. AUTH_MODE=none gives every caller
 * the admin role, so it is only allowed where nobody else can connect, unless explicitly opted in.
 */
export function exposureProblem(settings: { host: string; auth: Pick<AuthSettings, 'mode' | 'allowAnonymous'> }): string | null {
  if (settings.auth.mode !== 'none' || settings.auth.allowAnonymous || isLoopbackHost(settings.host)) return null;
  return (
    `AUTH_MODE=none on HOST=${settings.host} would let anyone who can reach this address use dualnova as an admin, without logging in. ` +
    'Set AUTH_MODE=alb-oidc (behind an ALB with an authenticate action) or AUTH_MODE=token (bearer API tokens), ' +
    'listen on a loopback address (HOST=127.0.0.1), or set ALLOW_ANONYMOUS=true if anonymous access is really intended.'
  );
}
