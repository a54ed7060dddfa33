import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { isAdmin } from '../../auth/principal.js';
import { ENDPOINTS } from '../../contract/endpoints.js';
import { AppError } from '../../errors/app-error.js';
import type { UsageReporter } from '../../usage/service.js';
import { endpointRoute } from '../http/endpoint-route.js';
import { principalOf } from '../http/access.js';

export interface UsageRouteOptions {
  /** Absent: 503 usage_unavailable. */
  usage?: UsageReporter | undefined;
}

/**
 * GET /api/usage?window=1h|24h|7d[&scope=deployment|me] — the ledger for the window, the cached
 * CloudWatch view with the reconciliation, alarm and budget states (src/usage/service.ts).
 * GET /api/alarms — the alarm states alone (admins). Neither ever waits on AWS.
 */
export const usageRoutes: FastifyPluginAsyncZod<UsageRouteOptions> = async (api, { usage }) => {
  const reporter = (): UsageReporter => {
    if (!usage) throw new AppError('usage_unavailable', 503, 'Usage reporting is not configured in this server.');
    return usage;
  };

  api.route({
    ...endpointRoute(ENDPOINTS.usage),
    handler: async (request, reply) => {
      const service = reporter();
      const principal = principalOf(request);
      const admin = isAdmin(principal);
      const { window, scope } = request.query;
      if (scope === 'deployment' && !admin) {
        throw new AppError('forbidden', 403, "The whole deployment's usage needs the admin role; leave out scope to see your own.");
      }
      reply.header('cache-control', 'no-store');
      return service.report({ window, viewer: { userId: principal.userId, admin }, ...(scope ? { scope } : {}) });
    },
  });

  api.route({
    ...endpointRoute(ENDPOINTS.alarms),
    handler: async (request, reply) => {
      const service = reporter();
      reply.header('cache-control', 'no-store');
      return service.alarms({ userId: principalOf(request).userId, admin: true });
    },
  });
};
