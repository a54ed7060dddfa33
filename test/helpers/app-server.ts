import { serverDependencies } from '../../src/app/server-dependencies.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/log/logger.js';
import { buildServer } from '../../src/server/app.js';

export interface AppServer {
  url: string;
  runtime: Runtime;
  dataDir: string;
  close: () => Promise<void>;
}

/** The real composition (settings → runtime → Fastify) in this process, on a free loopback port. */
export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-app-'));
  const settings = loadSettings({ env: { DATA_DIR: dataDir, MODEL_PROVIDER: 'offline', LOG_LEVEL: 'silent', ...env } });
  const logger = createLogger(settings.logLevel);
  const runtime = await createRuntime(settings, logger);
  const { app } = await buildServer(serverDependencies(runtime, {}));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    runtime,
    dataDir,
    close: async () => {
      await app.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postJson(
  url: string,
  body: unknown,
  init: RequestInit = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...init,
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, json, text };
}
