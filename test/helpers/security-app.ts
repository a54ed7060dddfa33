import { serverDependencies } from '../../src/app/server-dependencies.js';
import type { ChatEvent } from '../../src/contract/chat.js';
import { readChatEvents } from '../../src/contract/sse.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pino from 'pino';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import { loadSettings, type Settings } from '../../src/config/settings.js';
import { createLogger } from '../../src/log/logger.js';
import { buildServer } from '../../src/server/app.js';
import type { ActiveStreams } from '../../src/server/http/active-streams.js';
import { securityFromSettings } from '../../src/server/plugins/security.js';
import { TokenRepository } from '../../src/store/tokens.js';

export interface SecuredApp {
  url: string;
  settings: Settings;
  runtime: Runtime;
  tokens: TokenRepository;
  activeStreams: ActiveStreams;
  dataDir: string;
  close: () => Promise<void>;
}

export interface SecuredAppOptions {
  /** Where log lines go (then LOG_LEVEL defaults to info). */
  logDestination?: pino.DestinationStream;
  webRoot?: string;
}

/**
 * The real composition as `dualnova serve` wires it (settings → runtime → security from settings →
 * Fastify), in this process on a free loopback port. Defaults: offline provider, silent logs.
 */
export async function startSecuredApp(env: Record<string, string> = {}, options: SecuredAppOptions = {}): Promise<SecuredApp> {
  const dataDir = env.DATA_DIR ?? mkdtempSync(path.join(tmpdir(), 'dualnova-sec-'));
  const settings = loadSettings({
    env: { DATA_DIR: dataDir, MODEL_PROVIDER: 'offline', LOG_LEVEL: options.logDestination ? 'info' : 'silent', ...env },
  });
  const logger = createLogger(settings.logLevel, options.logDestination);
  const runtime = await createRuntime(settings, logger);
  const tokens = new TokenRepository(runtime.store.db);
  const { app, activeStreams } = await buildServer(
    serverDependencies(runtime, {
      bodyLimitBytes: settings.limits.bodyLimitBytes,
      security: securityFromSettings(settings, { tokens, logger }),
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    }),
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    settings,
    runtime,
    tokens,
    activeStreams,
    dataDir,
    close: async () => {
      await app.close();
      await runtime.close();
      if (!env.DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  json: any;
  text: string;
}

/** fetch + JSON (or null), for terse assertions. */
export async function call(url: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonResponse> {
  const { json: body, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (body !== undefined) headers.set('content-type', 'application/json');
  const response = await fetch(url, {
    ...rest,
    headers,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Reads a whole SSE answer with the contract's reader; a JSON answer (an error before the stream) lands in `json`. */
export async function chat(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<{ status: number; events: ChatEvent[]; json: any }> {
  const response = await fetch(`${url}/api/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream') || !response.body) {
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, events: [], json };
  }
  const events: ChatEvent[] = [];
  for await (const { receivedAt: _at, ...event } of readChatEvents(response.body)) events.push(event);
  return { status: response.status, events, json: null };
}
