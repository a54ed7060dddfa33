import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from '../http/errors.js';
import '../http/endpoint-route.js';
import '../http/access.js';

export interface RequestLimits {
  /** Chat and translate requests per user (per IP for the anonymous user) per minute. */
  userPerMinute: number;
  /** All /api requests per client IP per minute. */
  ipPerMinute: number;
  /** Streaming answers one user may have open at once. */
  concurrentStreamsPerUser: number;
}

const WINDOW_MS = 60_000;

/** The routes that cost model tokens (the contract's `metered`): per-user rate limit. */
function isModelRoute(request: FastifyRequest): boolean {
  return request.routeOptions.config.endpoint?.metered === true;
}

/** The routes that stream an answer (the contract's `streams`): one of the user's stream slots. */
function isStreamingRoute(request: FastifyRequest): boolean {
  return request.routeOptions.config.endpoint?.streams === true;
}

function userKey(request: FastifyRequest): string {
  const userId = request.principal?.userId;
  return userId ? `user:${userId}` : `anon:${request.ip}`;
}

/**
 * Counts of streams open per user. In-process: with N containers a user can hold up to N × the
 * limit at once (the ALB spreads requests); the rate limits below are per process for the same
 * reason. Both bound cost and abuse per container, which is what protects the process itself.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly max: number) {}

  tryAcquire(key: string): (() => void) | null {
    const current = this.open.get(key) ?? 0;
    if (current >= this.max) return null;
    this.open.set(key, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const now = (this.open.get(key) ?? 1) - 1;
      if (now <= 0) this.open.delete(key);
      else this.open.set(key, now);
    };
  }

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  get total(): number {
    let sum = 0;
    for (const n of this.open.values()) sum += n;
    return sum;
  }
}

function tooMany(reply: FastifyReply, code: 'rate_limited' | 'too_many_streams', retryAfterSeconds: number, message: string): FastifyReply {
  reply.header('retry-after', String(Math.max(1, retryAfterSeconds)));
  return sendError(reply, 429, code, message);
}

/**
 * Installed in the /api scope. Per-IP limit on every /api request (before authentication, so floods of bad credentials are
 * bounded too), then per-user limit on chat/translate and the per-user stream cap (after it).
 *
 * Both rate limits use @fastify/rate-limit's `createRateLimit()`: its `rateLimit()` hook creator
 * shares one "already ran" flag per request with every other limiter of the plugin, so a
 * per-user hook after the per-IP one would silently never count.
 */
export async function installLimits(
  app: FastifyInstance,
  limits: RequestLimits,
  position: 'before-auth' | 'after-auth',
): Promise<StreamSlots | undefined> {
  if (position === 'before-auth') {
    await app.register(rateLimit, { global: false, max: limits.ipPerMinute, timeWindow: WINDOW_MS, cache: 20_000 });
    // No keyGenerator: the plugin's default keys by request.ip, folding IPv6 into /64 prefixes.
    const perIp = app.createRateLimit({ max: limits.ipPerMinute, timeWindow: WINDOW_MS, cache: 20_000 } as Parameters<
      FastifyInstance['createRateLimit']
    >[0]);
    app.addHook('onRequest', async (request, reply) => {
      const result = await perIp(request);
      if (result.isAllowed || !result.isExceeded) return undefined;
      request.log.warn({ ip: request.ip }, 'per-IP rate limit exceeded');
      return tooMany(reply, 'rate_limited', result.ttlInSeconds, 'Too many requests from this address; please wait a moment.');
    });
    return undefined;
  }

  const perUser = app.createRateLimit({
    max: limits.userPerMinute,
    timeWindow: WINDOW_MS,
    cache: 20_000,
    keyGenerator: userKey,
  } as Parameters<FastifyInstance['createRateLimit']>[0]);
  const slots = new StreamSlots(limits.concurrentStreamsPerUser);
  app.addHook('onRequest', async (request, reply) => {
    if (!isModelRoute(request)) return undefined;
    const result = await perUser(request);
    if (!result.isAllowed) {
      reply.header('x-ratelimit-limit', String(result.max));
      reply.header('x-ratelimit-remaining', String(result.remaining));
      if (result.isExceeded) {
        request.log.warn('per-user rate limit exceeded');
        return tooMany(
          reply,
          'rate_limited',
          result.ttlInSeconds,
          `At most ${limits.userPerMinute} questions and translations a minute; please wait a moment.`,
        );
      }
    }
    if (!isStreamingRoute(request)) return undefined;
    const release = slots.tryAcquire(userKey(request));
    if (!release) {
      request.log.warn({ limit: limits.concurrentStreamsPerUser }, 'concurrent stream limit reached');
      return tooMany(
        reply,
        'too_many_streams',
        1,
        `At most ${limits.concurrentStreamsPerUser} answers can stream at once; wait for one to finish.`,
      );
    }
    // 'close' fires when the response ends or the client goes away, for normal and hijacked (SSE) replies alike.
    reply.raw.once('close', release);
    reply.raw.once('finish', release);
    return undefined;
  });
  return slots;
}
