import type { FastifyInstance } from 'fastify';
import { createAuthenticator, noneAuthenticator, type Authenticator } from '../../auth/authenticator.js';
import type { TrustProxy } from '../../config/security-settings.js';
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import { errorFields } from '../../log/logger.js';
import type { TokenRepository } from '../../store/tokens.js';
import type { ActiveStreams } from '../app.js';
import { installTokenAdmin } from './admin-tokens.js';
import { installAuthentication } from './authentication.js';
import { setSensitiveValues } from './client-text.js';
import { installLimits, type RequestLimits, type StreamSlots } from './limits.js';
import { installMetrics } from './metrics.js';
import { installSameOriginCheck } from './same-origin.js';
import { installSecurityHeaders } from './security-headers.js';

/** Everything about who may call the server and how much; built from settings by securityFromSettings. */
export interface ServerSecurity {
  authenticator: Authenticator;
  /** null: no rate or stream limits (only for programmatic embedding: tests, benchmarks). */
  limits: RequestLimits | null;
  maxHeaderBytes: number;
  trustProxy: TrustProxy;
  /** The token store, for the admin token API. */
  tokens?: TokenRepository | undefined;
  /** Deployment values that must never reach a client (knowledge base id, ALB ARN, …). */
  sensitiveValues?: (string | undefined)[];
}

/** What buildServer uses when it is given no security: the loopback single-user mode, no limits. */
export function embeddedSecurity(): ServerSecurity {
  return { authenticator: noneAuthenticator(), limits: null, maxHeaderBytes: 16_384, trustProxy: false };
}

export function securityFromSettings(
  settings: Settings,
  deps: { tokens: TokenRepository; logger: Logger; fetch?: typeof fetch },
): ServerSecurity {
  return {
    authenticator: createAuthenticator(settings.auth, {
      tokens: deps.tokens,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      onTouchError: (error) => deps.logger.warn(errorFields(error), 'could not record API token use'),
    }),
    limits: {
      userPerMinute: settings.limits.userPerMinute,
      ipPerMinute: settings.limits.ipPerMinute,
      concurrentStreamsPerUser: settings.limits.concurrentStreamsPerUser,
    },
    maxHeaderBytes: settings.limits.maxHeaderBytes,
    trustProxy: settings.trustProxy,
    tokens: deps.tokens,
    sensitiveValues: [settings.knowledgeBaseId, settings.auth.albArn],
  };
}

function trustHops(hops: number): false | ((address: string, hop: number) => boolean) {
  return hops <= 0 ? false : (_address: string, hop: number) => hop < hops;
}

/** Fastify constructor options that security decides. */
export function securityServerOptions(security: ServerSecurity) {
  return {
    // A hop count n: trust the n nearest proxies (proxy-addr's own rule for numbers, which Fastify's types omit).
    trustProxy: typeof security.trustProxy === 'number' ? trustHops(security.trustProxy) : security.trustProxy,
    http: { maxHeaderSize: security.maxHeaderBytes },
  };
}

/**
 * Installs, in this order: security headers, per-IP rate limit, same-origin check,
 * authentication, per-user rate limit + stream cap, then the admin endpoints (metrics, tokens).
 * Must run before any route is registered.
 */
export async function installSecurity(app: FastifyInstance, security: ServerSecurity, active: ActiveStreams): Promise<void> {
  setSensitiveValues(security.sensitiveValues ?? []);
  await installSecurityHeaders(app);
  if (security.limits) await installLimits(app, security.limits, 'before-auth');
  installSameOriginCheck(app);
  installAuthentication(app, security.authenticator);
  let slots: StreamSlots | undefined;
  if (security.limits) slots = await installLimits(app, security.limits, 'after-auth');
  installMetrics(app, active, () => slots);
  if (security.tokens) installTokenAdmin(app, security.tokens);
}
