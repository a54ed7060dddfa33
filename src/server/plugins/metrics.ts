import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import type { ActiveStreams } from '../app.js';
import { requireAdmin } from './access.js';
import type { StreamSlots } from './limits.js';

const ms = (nanoseconds: number) => Math.round((nanoseconds / 1e6) * 100) / 100;

/**
 * GET /api/admin/metrics (admins): event-loop delay percentiles since the last reset, memory and
 * open streams of this process. `?reset=true` starts a new measurement window (the load benchmark
 * resets after warm-up). No dependency calls; cheap enough to poll.
 */
export function installMetrics(app: FastifyInstance, active: ActiveStreams, slots: () => StreamSlots | undefined): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  let since = new Date().toISOString();
  app.addHook('onClose', async () => delay.disable());
  app.get('/api/admin/metrics', { preHandler: requireAdmin }, async (request) => {
    const memory = process.memoryUsage();
    const snapshot = {
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      since,
      eventLoopDelayMs: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max), mean: ms(delay.mean) },
      // Process CPU time since start (user + system): the load benchmark divides it by the chats served.
      cpuSeconds: (() => {
        const cpu = process.cpuUsage();
        return Math.round((cpu.user + cpu.system) / 1000) / 1000;
      })(),
      memory: {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        heapTotalBytes: memory.heapTotal,
        externalBytes: memory.external,
        arrayBuffersBytes: memory.arrayBuffers,
      },
      streams: { active: active.controllers.size, slotsHeld: slots()?.total ?? 0 },
    };
    if ((request.query as { reset?: string } | undefined)?.reset === 'true') {
      delay.reset();
      since = new Date().toISOString();
    }
    return snapshot;
  });
}
