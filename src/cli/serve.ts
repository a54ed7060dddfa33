import { serverDependencies } from '../app/server-dependencies.js';
import { createRuntime } from '../app/runtime.js';
import { exposureProblem } from '../auth/exposure.js';
import { loadSettingsFromSources } from '../aws/settings-secret.js';
import { SettingsError } from '../config/settings.js';
import { createLogger, errorFields } from '../log/logger.js';
import { buildServer } from '../server/app.js';
import { drainAndClose } from '../server/plugins/graceful-shutdown.js';
import { securityFromSettings } from '../server/plugins/security.js';
import { TokenRepository } from '../store/tokens.js';

export async function runServe(): Promise<number> {
  // Environment, SETTINGS_FILE and, when DUALNOVA_SETTINGS_SECRET is set, the Secrets Manager secret.
  const settings = await loadSettingsFromSources();
  // Refused before anything starts (exit 2): AUTH_MODE=none would make every caller an admin.
  const exposure = exposureProblem(settings);
  if (exposure) throw new SettingsError([exposure]);
  const logger = createLogger(settings.logLevel);
  const runtime = await createRuntime(settings, logger);
  const { app, activeStreams } = await buildServer(
    serverDependencies(runtime, {
      webRoot: runtime.webRoot,
      bodyLimitBytes: settings.limits.bodyLimitBytes,
      security: securityFromSettings(settings, { tokens: new TokenRepository(runtime.store.db), logger }),
    }),
  );
  logger.info(
    {
      authMode: settings.auth.mode,
      limits: settings.limits,
      trustProxy: settings.trustProxy,
      shutdownGraceSeconds: settings.shutdownGraceSeconds,
    },
    'security settings',
  );
  const address = await app.listen({ host: settings.host, port: settings.port });
  process.stdout.write(`dualnova listening on ${address.replace('[::1]', 'localhost')} (${runtime.models.provider} mode)\n`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal, streaming: activeStreams.controllers.size }, 'shutting down');
      try {
        // Streaming answers get a grace period to finish; whatever is still running then is aborted and stored as partial.
        await drainAndClose(app, activeStreams, { graceMs: settings.shutdownGraceSeconds * 1000, logger });
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
