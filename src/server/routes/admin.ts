import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { ProcessMetrics } from '../../contract/admin.js';
import { ENDPOINTS } from '../../contract/endpoints.js';
import { AppError } from '../../errors/app-error.js';
import { TokenNameError, type TokenRepository } from '../../store/tokens.js';
import type { ActiveStreams } from '../http/active-streams.js';
import { endpointRoute } from '../http/endpoint-route.js';
import { principalOf } from '../http/access.js';

export interface AdminRouteOptions {
  /** The token store; absent (embedded mode): the token API answers 404. */
  tokens?: TokenRepository | undefined;
  active: ActiveStreams;
  /** Stream slots held across users, when limits are on. */
  slotsHeld: () => number;
}

const ms = (nanoseconds: number) => Math.round((nanoseconds / 1e6) * 100) / 100;

/**
 * Admin endpoints (the contract marks them `admin`; the /api scope refuses agents with 403):
 * process metrics, and bearer tokens — the same operations as `dualnova tokens`. Secrets and
 * hashes are never listed; a new token's secret is in the creating answer only.
 */
export const adminRoutes: FastifyPluginAsyncZod<AdminRouteOptions> = async (api, { tokens, active, slotsHeld }) => {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let since = new Date().toISOString();
  api.addHook('onClose', async () => delay.disable());

  // Event-loop delay since the last reset, CPU, memory and open streams; `?reset=true` starts a new window.
  api.route({
    ...endpointRoute(ENDPOINTS.metrics),
    handler: async (request): Promise<ProcessMetrics> => {
      const memory = process.memoryUsage();
      const cpu = process.cpuUsage();
      const snapshot = {
        pid: process.pid,
        uptimeSeconds: Math.round(process.uptime()),
        since,
        eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) },
        cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
        memory: {
          rssBytes: memory.rss,
          heapUsedBytes: memory.heapUsed,
          heapTotalBytes: memory.heapTotal,
          externalBytes: memory.external,
          arrayBuffersBytes: memory.arrayBuffers,
        },
        streams: { active: active.controllers.size, slotsHeld: slotsHeld() },
      };
      if (request.query.reset === 'true') {
        delay.reset();
        since = new Date().toISOString();
      }
      return snapshot;
    },
  });

  const store = (): TokenRepository => {
    if (!tokens) throw new AppError('not_found', 404, 'API tokens are not enabled on this server.');
    return tokens;
  };

  api.route({ ...endpointRoute(ENDPOINTS.tokens), handler: async () => ({ tokens: await store().list() }) });

  api.route({
    ...endpointRoute(ENDPOINTS.createToken),
    handler: async (request, reply) => {
      try {
        const created = await store().create({ ...request.body, createdBy: principalOf(request).displayName });
        request.log.info({ tokenName: created.info.name, tokenRole: created.info.role }, 'API token created');
        return reply.code(201).header('cache-control', 'no-store').send({ token: created.token, info: created.info });
      } catch (error) {
        if (error instanceof TokenNameError) throw new AppError('invalid_token_name', 400, error.message);
        throw error;
      }
    },
  });

  api.route({
    ...endpointRoute(ENDPOINTS.revokeToken),
    handler: async (request, reply) => {
      if (!(await store().revoke(request.params.name))) throw new AppError('not_found', 404, 'No live token with that name.');
      request.log.info({ tokenName: request.params.name }, 'API token revoked');
      return reply.code(204).send(null);
    },
  });
};
