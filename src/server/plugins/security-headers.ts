import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * The web app is built by Vite into external JS and CSS files (no inline script or style in
 * index.html), so the CSP can forbid everything inline. React sets style properties through the
 * CSSOM, which CSP does not govern. `upgrade-insecure-requests` is left out on purpose: the
 * embedded mode is served over plain http://127.0.0.1, where it would break every asset.
 */
export const CONTENT_SECURITY_POLICY = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-ancestors': ["'none'"],
  'base-uri': ["'self'"],
  'form-action': ["'self'"],
};

export async function installSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CONTENT_SECURITY_POLICY },
    // Browsers ignore HSTS on http://; behind the ALB's HTTPS listener it pins the site to HTTPS.
    strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: false },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
}
