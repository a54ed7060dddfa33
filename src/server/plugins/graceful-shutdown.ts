import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../log/logger.js';
import type { ActiveStreams } from '../http/active-streams.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface DrainOptions {
  /** How long streaming answers may run on (SHUTDOWN_GRACE_SECONDS). */
  graceMs: number;
  /** After aborting, how long to wait for the aborted answers to be stored as partial. */
  abortDrainMs?: number;
  logger: Logger;
}

/**
 * Shutdown for a container that is being replaced: stop accepting connections (a request that still
 * arrives on an open keep-alive connection gets 503 with `Connection: close`), let streaming answers
 * finish for up to the grace period, then abort the rest — each is stored as partial with what had
 * arrived — and close. Idle keep-alive connections are closed as they become idle, so an ALB
 * does not hold the process open. Resolves when the server is closed.
 */
export async function drainAndClose(app: FastifyInstance, active: ActiveStreams, options: DrainOptions): Promise<void> {
  const { logger } = options;
  const closing = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 250);
  let force: NodeJS.Timeout | undefined;
  try {
    const graceEnds = Date.now() + options.graceMs;
    while (active.controllers.size > 0 && Date.now() < graceEnds) await sleep(50);
    if (active.controllers.size > 0) {
      logger.warn(
        { streams: active.controllers.size, graceMs: options.graceMs },
        'grace period over: aborting the answers still streaming (stored as partial)',
      );
      for (const controller of active.controllers) controller.abort();
      const drainEnds = Date.now() + (options.abortDrainMs ?? 5000);
      while (active.controllers.size > 0 && Date.now() < drainEnds) await sleep(20);
      if (active.controllers.size > 0)
        logger.error({ streams: active.controllers.size }, 'answers did not stop after abort; closing their connections');
    } else {
      logger.info('all streaming answers finished within the grace period');
    }
    // Nothing streams any more. Other requests still in flight (a translation) may finish within
    // what is left of the grace period (at least 1 s); then whatever is still open is closed.
    force = setTimeout(() => app.server.closeAllConnections(), Math.max(1000, graceEnds - Date.now()));
    await closing;
  } finally {
    clearInterval(sweep);
    if (force) clearTimeout(force);
  }
}
