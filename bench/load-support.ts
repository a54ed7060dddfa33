/**
 * Pieces of the load, soak and scale benchmarks: the server as a child process (`dualnova serve`
 * from dist/), a streaming chat client with arrival timestamps, bearer tokens written straight
 * into the server's database, the admin metrics endpoint, and percentiles.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readChatEvents } from '../src/contract/sse.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { openStore } from '../src/store/database.js';
import { TokenRepository } from '../src/store/tokens.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** dist/ when run from the build, the repository root when run from source. */
const BUILT_ROOT = path.basename(path.dirname(HERE)) === 'dist' ? path.dirname(HERE) : path.join(path.dirname(HERE), 'dist');
export const CLI = path.join(BUILT_ROOT, 'src', 'cli', 'main.js');
export const PACKAGE_ROOT = path.dirname(BUILT_ROOT);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export { percentile } from './report.js';

export const fmtMs = (v: number) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : 'n/a');
export const mib = (bytes: number) => bytes / 1024 / 1024;

export interface ServerChild {
  url: string;
  child: ChildProcess;
  pid: number;
  stop: () => Promise<number | null>;
  stderrTail: () => string;
}

/** Starts `dualnova serve` on 127.0.0.1 with a free port; stdout (logs) is read only until it listens. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerChild> {
  // e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server under load
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve'], {
    cwd: PACKAGE_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let head = '';
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in ${timeoutMs} ms:\n${head.slice(-4000)}\n${stderr}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      if (head.length < 200_000) head += d.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(head);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${head.slice(-4000)}\n${stderr}`));
    });
  });
  // Keep draining the logs so the pipe never blocks the server; nothing is kept.
  child.stdout?.removeAllListeners('data');
  child.stdout?.on('data', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    url,
    child,
    pid: child.pid ?? -1,
    stderrTail: () => stderr,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Creates bearer tokens directly in the database the server will use (migrating it first). */
export async function createTokens(
  target: { dataDir: string; databaseUrl?: string },
  names: string[],
  role: 'agent' | 'admin',
): Promise<Map<string, string>> {
  const store = await openStore({ dataDir: target.dataDir, databaseUrl: target.databaseUrl });
  try {
    const repo = new TokenRepository(store.db);
    const out = new Map<string, string>();
    for (const name of names) out.set(name, (await repo.create({ name, role, createdBy: 'bench' })).token);
    return out;
  } finally {
    await store.close();
  }
}

export interface ChatOutcome {
  ok: boolean;
  status: number;
  /** Why the chat counts as an error (HTTP status, error event, non-complete answer, exception). */
  error?: string;
  /** Codes of `warning` events (an answer can be complete and still warn, e.g. a glossary mismatch). */
  warnings: string[];
  conversationId?: string;
  sentAt: number;
  /** performance.now() when the first overview delta arrived. */
  firstOverviewAt?: number;
  doneAt?: number;
  doneStatus?: string;
}

/** One chat over fetch, parsing SSE as it arrives and timestamping the first overview delta. */
export async function runChat(url: string, token: string, body: Record<string, unknown>, timeoutMs = 120_000): Promise<ChatOutcome> {
  const sentAt = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    return { ok: false, status: 0, error: `fetch: ${(error as Error).message}`, sentAt, warnings: [] };
  }
  if (response.status !== 200 || !response.body) {
    const text = await response.text().catch(() => '');
    return { ok: false, status: response.status, error: `HTTP ${response.status} ${text.slice(0, 200)}`, sentAt, warnings: [] };
  }
  const outcome: ChatOutcome = { ok: false, status: 200, sentAt, warnings: [] };
  try {
    for await (const event of readChatEvents(response.body)) {
      const at = event.receivedAt;
      if (event.event === 'delta') {
        if (outcome.firstOverviewAt === undefined && event.data.part === 'overview') outcome.firstOverviewAt = at;
      } else if (event.event === 'meta') outcome.conversationId = event.data.conversationId;
      else if (event.event === 'error') outcome.error = `error event ${event.data.code}`;
      else if (event.event === 'warning') outcome.warnings.push(event.data.code);
      else if (event.event === 'done') {
        outcome.doneAt = at;
        outcome.doneStatus = event.data.status;
      }
    }
  } catch (error) {
    outcome.error = `stream: ${(error as Error).message}`;
  }
  if (outcome.doneStatus !== 'complete') outcome.error ??= `done ${outcome.doneStatus ?? 'missing'}`;
  outcome.ok = outcome.error === undefined;
  return outcome;
}

export interface ServerMetrics {
  pid: number;
  eventLoopDelayMs: { p50: number; p99: number; max: number; mean: number };
  cpuSeconds: number;
  memory: { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number; externalBytes: number; arrayBuffersBytes: number };
  streams: { active: number; slotsHeld: number };
}

export async function serverMetrics(url: string, adminToken: string, reset = false): Promise<ServerMetrics> {
  const response = await fetch(`${url}/api/admin/metrics${reset ? '?reset=true' : ''}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  if (!response.ok) throw new Error(`metrics: HTTP ${response.status}`);
  return (await response.json()) as ServerMetrics;
}

/** RSS of another process from /proc (Linux), independent of the server's own report. */
export function rssOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The bench process's own event-loop delay (it drives the load and runs the fake model). */
export function selfLag(): IntervalHistogram {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return histogram;
}
