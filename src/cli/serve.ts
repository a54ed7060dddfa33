import { createRuntime } from '../app/runtime.js';
import { loadSettings } from '../config/settings.js';
import { createLogger, errorFields } from '../log/logger.js';
import { buildServer } from '../server/app.js';

const SHUTDOWN_GRACE_MS = 25_000;

export async function runServe(): Promise<number> {
  const settings = loadSettings();
  const logger = createLogger(settings.logLevel);
  const runtime = await createRuntime(settings, logger);
  const { app, activeStreams } = await buildServer({
    logger,
    chat: runtime.chat,
    conversations: runtime.conversations,
    feedback: runtime.feedback,
    status: runtime.status,
    readiness: runtime.readiness,
    examples: runtime.examples,
    glossary: runtime.glossary,
    maxMessageChars: settings.maxMessageChars,
    webRoot: runtime.webRoot,
  });
  const address = await app.listen({ host: settings.host, port: settings.port });
  process.stdout.write(`dualnova listening on ${address.replace('[::1]', 'localhost')} (${runtime.models.provider} mode)\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, streaming: activeStreams.controllers.size }, 'shutting down');
      const closing = app.close();
      // Streaming answers get a grace period to finish; whatever is still running then is aborted and stored as partial.
      const deadline = Date.now() + SHUTDOWN_GRACE_MS;
      while (activeStreams.controllers.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      for (const controller of activeStreams.controllers) controller.abort();
      try {
        await closing;
        await runtime.close();
        resolve(0);
      } catch (error) {
        logger.error(errorFields(error), 'shutdown failed');
        resolve(1);
      }
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });
}
