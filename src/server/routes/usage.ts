import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isAdmin } from '../../auth/principal.js';
import { USAGE_WINDOWS } from '../../usage/queries.js';
import type { UsageReporter } from '../../usage/service.js';
import { sendError } from '../errors.js';
import { principalOf } from '../plugins/access.js';

const usageQuerySchema = z
  .object({
    window: z.enum(USAGE_WINDOWS).default('24h'),
    /** Admins: `deployment` (default) or `me`; agents always see their own calls. */
    scope: z.enum(['deployment', 'me']).optional(),
  })
  .strict();

/**
 * GET /api/usage?window=1h|24h|7d[&scope=deployment|me] — the ledger for the window, the cached
 * CloudWatch view with the reconciliation, alarm and budget states (src/usage/service.ts).
 * GET /api/alarms — the alarm states alone (admins). Neither ever waits on AWS.
 */
export function registerUsageRoutes(api: FastifyInstance, deps: { usage?: UsageReporter | undefined }): void {
  const usage = deps.usage;
  api.get('/usage', async (request, reply) => {
    if (!usage) return sendError(reply, 503, 'usage_unavailable', 'Usage reporting is not configured in this server.');
    const query = usageQuerySchema.safeParse(request.query);
    if (!query.success)
      return sendError(reply, 400, 'invalid_request', `window must be one of ${USAGE_WINDOWS.join(', ')}; scope must be deployment or me.`);
    const principal = principalOf(request);
    const admin = isAdmin(principal);
    if (query.data.scope === 'deployment' && !admin) {
      return sendError(reply, 403, 'forbidden', "The whole deployment's usage needs the admin role; leave out scope to see your own.");
    }
    reply.header('cache-control', 'no-store');
    return usage.report({
      window: query.data.window,
      viewer: { userId: principal.userId, admin },
      ...(query.data.scope ? { scope: query.data.scope } : {}),
    });
  });

  api.get('/alarms', async (request, reply) => {
    if (!usage) return sendError(reply, 503, 'usage_unavailable', 'Usage reporting is not configured in this server.');
    const principal = principalOf(request);
    if (!isAdmin(principal)) return sendError(reply, 403, 'forbidden', 'Alarm states are account-wide: this needs the admin role.');
    reply.header('cache-control', 'no-store');
    return usage.alarms({ userId: principal.userId, admin: true });
  });
}
