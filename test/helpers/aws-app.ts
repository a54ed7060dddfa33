/**
 * Helpers for the AWS dependency tests: every wire-level fake at once, wired through the standard
 * AWS_ENDPOINT_URL_<SERVICE> variables; the real app in this process with its log captured; and
 * process.env changes that are always undone.
 */
import { serverDependencies } from '../../src/app/server-dependencies.js';
import type { Clock } from '../../src/time/clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { postChat, type TimedEvent } from '../../bench/sse-client.js';
import { createRuntime, type Runtime } from '../../src/app/runtime.js';
import type { DependencyStatus, StatusReport } from '../../src/contract/status.js';
import { loadSettingsFromSources } from '../../src/aws/settings-secret.js';
import { createLogger } from '../../src/log/logger.js';
import { buildServer } from '../../src/server/app.js';
import { startFakeAgentRuntime, type FakeAgentRuntime } from '../fakes/bedrock-agent-runtime.js';
import { startFakeBedrockControl, type FakeBedrockControl } from '../fakes/bedrock-control.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime } from '../fakes/bedrock-runtime.js';
import { startFakeCloudWatch, type FakeCloudWatch } from '../fakes/cloudwatch.js';
import { startFakeSecretsManager, type FakeSecretsManager } from '../fakes/secrets-manager.js';
import { startFakeSts, type FakeSts } from '../fakes/sts.js';

export const TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIATESTDUALNOVA0001',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYdualnovaTEST',
  AWS_REGION: 'us-east-1',
} as const;

export const SETTINGS_SECRET_NAME = 'dualnova/test/settings';

/** Sets (or, with undefined, removes) variables in process.env; the returned function restores them. */
export function setEnv(vars: Record<string, string | undefined>): () => void {
  const before = new Map(Object.keys(vars).map((key) => [key, process.env[key]]));
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  return () => {
    for (const [key, value] of before) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

export interface AwsFakes {
  cloudwatch: FakeCloudWatch;
  sts: FakeSts;
  secrets: FakeSecretsManager;
  control: FakeBedrockControl;
  runtime: FakeBedrockRuntime;
  agentRuntime: FakeAgentRuntime;
  /** AWS_ENDPOINT_URL_<SERVICE> for each fake. */
  endpoints: Record<string, string>;
  /** Clears recorded requests, faults and scripts of every fake. */
  reset(): void;
  /** Every request any AWS fake received. */
  requestCount(): number;
  close(): Promise<void>;
}

export async function startAwsFakes(options: { secretString?: string } = {}): Promise<AwsFakes> {
  const [cloudwatch, sts, secrets, control, runtime, agentRuntime] = await Promise.all([
    startFakeCloudWatch(),
    startFakeSts(),
    startFakeSecretsManager({ secrets: [{ name: SETTINGS_SECRET_NAME, secretString: options.secretString ?? '{"RETRIEVE_TOP_K": 4}' }] }),
    startFakeBedrockControl(),
    startFakeBedrockRuntime(),
    startFakeAgentRuntime(),
  ]);
  const endpoints = {
    AWS_ENDPOINT_URL_CLOUDWATCH: cloudwatch.url,
    AWS_ENDPOINT_URL_STS: sts.url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
    AWS_ENDPOINT_URL_BEDROCK: control.url,
    AWS_ENDPOINT_URL_BEDROCK_AGENT: control.url,
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: runtime.url,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: agentRuntime.url,
  };
  return {
    cloudwatch,
    sts,
    secrets,
    control,
    runtime,
    agentRuntime,
    endpoints,
    reset() {
      for (const fake of [cloudwatch, sts, secrets, control]) fake.reset();
      runtime.script(undefined);
      runtime.reset();
      agentRuntime.setFault(null);
      agentRuntime.requests.length = 0;
    },
    requestCount: () =>
      [cloudwatch, sts, secrets, control].reduce((n, f) => n + f.requests.length, 0) +
      runtime.requests.length +
      agentRuntime.requests.length,
    close: async () => {
      await Promise.all([cloudwatch.close(), sts.close(), secrets.close(), control.close(), runtime.close(), agentRuntime.close()]);
    },
  };
}

export interface ObservedApp {
  url: string;
  runtime: Runtime;
  /** Every log line so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  logText(): string;
  status(): Promise<StatusReport>;
  dependency(name: string): Promise<DependencyStatus | undefined>;
  chat(message?: string): Promise<TimedEvent[]>;
  close(): Promise<void>;
}

/**
 * The real composition in this process: settings from process.env plus `settings` (and the settings
 * secret when DUALNOVA_SETTINGS_SECRET is set), a logger that records every line, Fastify on a free port.
 */
export async function startObservedApp(
  settings: Record<string, string> = {},
  options: { waitForChecks?: boolean; logLevel?: string; clock?: Clock; web?: boolean } = {},
): Promise<ObservedApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-aws-'));
  const loaded = await loadSettingsFromSources({
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: options.logLevel ?? 'info', PROBE_TIMEOUT_MS: '1500', ...settings },
  });
  let captured = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      captured += chunk.toString();
      callback();
    },
  });
  const logger = createLogger(loaded.logLevel, sink);
  const runtime = await createRuntime(loaded, logger, options.clock ? { clock: options.clock } : {});
  const { app } = await buildServer(serverDependencies(runtime, options.web ? { webRoot: runtime.webRoot } : {}));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  if (options.waitForChecks !== false) await runtime.dependencies.refresh();
  const status = async () => (await (await fetch(`${url}/api/status`)).json()) as StatusReport;
  return {
    url,
    runtime,
    logs: () =>
      captured
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    logText: () => captured,
    status,
    dependency: async (name) => (await status()).dependencies.find((d) => d.name === name),
    chat: (message = '환불은 며칠 안에 신청할 수 있나요?') => postChat(url, { message, uiLanguage: 'ko' }),
    close: async () => {
      await app.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The answer text of a chat, all lanes and parts. */
export function answerText(events: TimedEvent[]): string {
  return events
    .filter((e) => e.event === 'delta')
    .map((e) => String(e.data.text))
    .join('');
}

/** Captures what runDoctor writes. */
export function captureIo(env: NodeJS.ProcessEnv): {
  io: { stdout: { write(t: string): boolean }; stderr: { write(t: string): boolean }; env: NodeJS.ProcessEnv };
  out: () => string;
  err: () => string;
} {
  let out = '';
  let err = '';
  return {
    io: {
      stdout: { write: (t: string) => ((out += t), true) },
      stderr: { write: (t: string) => ((err += t), true) },
      env,
    },
    out: () => out,
    err: () => err,
  };
}
