import { z } from 'zod';
import { textSchema } from './common.js';

export const roleSchema = z.enum(['agent', 'admin']);

export const apiTokenInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenInfo = z.infer<typeof apiTokenInfoSchema>;

export const tokenListSchema = z.object({ tokens: z.array(apiTokenInfoSchema) });
export const createTokenRequestSchema = z.object({ name: textSchema({ max: 200, what: 'The token name' }), role: roleSchema }).strict();
/** The secret is in this answer once, and never again. */
export const createdTokenSchema = z.object({ token: z.string(), info: apiTokenInfoSchema });
// A name with control characters (NUL included) can name no token: refused before any query.
export const tokenNameParamsSchema = z.object({ name: textSchema({ max: 64, nonEmpty: true, what: 'The token name' }) });

export const processMetricsQuerySchema = z.object({ reset: z.enum(['true', 'false']).optional() });
export const processMetricsSchema = z.object({
  pid: z.number(),
  uptimeSeconds: z.number(),
  since: z.string(),
  eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number(), mean: z.number() }),
  /** Process CPU time since start (user + system). */
  cpuSeconds: z.number(),
  memory: z.object({
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
    heapTotalBytes: z.number(),
    externalBytes: z.number(),
    arrayBuffersBytes: z.number(),
  }),
  streams: z.object({ active: z.number(), slotsHeld: z.number() }),
});
export type ProcessMetrics = z.infer<typeof processMetricsSchema>;
