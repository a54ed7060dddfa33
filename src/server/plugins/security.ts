import type { FastifyInstance } from 'fastify';
import { createAuthenticator, noneAuthenticator, type Authenticator } from '../../auth/authenticator.js';
import type { TrustProxy } from '../../config/security-settings.js';
import type { Settings } from '../../config/settings.js';
import type { Logger } from '../../log/logger.js';
import { errorFields } from '../../log/logger.js';
import type { TokenRepository } from '../../store/tokens.js';
import { installAuthentication } from './authentication.js';
import { installLimits, type RequestLimits, type StreamSlots } from './limits.js';
import { installSameOriginCheck } from './same-origin.js';

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
 * The /api scope's guards, in this order: per-IP rate limit, same-origin check, authentication
 * (with the admin check of `admin` endpoints), per-user rate limit of `metered` endpoints and the
 * stream cap of `streaming` ones — each chosen by the route's contract entry, never by its URL.
 * Must run in the scope before its routes are registered. Returns the stream slots (null without limits).
 */
export async function installApiGuards(api: FastifyInstance, security: ServerSecurity): Promise<StreamSlots | null> {
  if (security.limits) await installLimits(api, security.limits, 'before-auth');
  installSameOriginCheck(api);
  installAuthentication(api, security.authenticator);
  if (!security.limits) return null;
  return (await installLimits(api, security.limits, 'after-auth')) ?? null;
}
