import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBedrockRuntime, type FakeBedrockRuntime } from '../fakes/bedrock-runtime.js';
import { CLI, ROOT, startServerProcess } from '../helpers/server-process.js';

let fake: FakeBedrockRuntime;

const bedrockEnv = () => ({
  MODEL_PROVIDER: 'bedrock',
  AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
  AWS_SECRET_ACCESS_KEY: 'test-secret',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
});

/** Starts a chat and collects its raw SSE text until the server ends it. */
function startChat(url: string, message: string): { text: Promise<string> } {
  const text = (async () => {
    const response = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, uiLanguage: 'ko' }),
    });
    return response.text();
  })();
  return { text };
}

function events(sse: string): { event: string; data: Record<string, unknown> }[] {
  return sse
    .split('\n\n')
    .map((block) => {
      const name = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      return name && data ? { event: name, data: JSON.parse(data) as Record<string, unknown> } : null;
    })
    .filter((e): e is { event: string; data: Record<string, unknown> } => e !== null);
}

function storedAnswers(dataDir: string): { status: string; lanes_json: string | null; role: string }[] {
  const db = new SQLite(path.join(dataDir, 'dualnova.sqlite'), { readonly: true });
  try {
    return db.prepare("select status, lanes_json, role from messages where role = 'assistant'").all() as {
      status: string;
      lanes_json: string | null;
      role: string;
    }[];
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  fake = await startFakeBedrockRuntime();
});
afterAll(async () => fake?.close());
beforeEach(() => {
  fake.script(undefined);
  fake.reset();
});

describe('SIGTERM on the built server (dualnova serve)', () => {
  it('aborts answers still streaming after SHUTDOWN_GRACE_SECONDS, stores them as partial, and exits 0', async () => {
    fake.script((r) => ({
      chunks: [`시작 ${r.modelId.includes('micro') ? '개요' : '상세'} `, '계속 ', '끝'],
      fault: 'stall',
      faultAfterChunks: 1,
    }));
    const server = await startServerProcess({
      ...bedrockEnv(),
      SHUTDOWN_GRACE_SECONDS: '1',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dualnova-stop-')),
    });
    try {
      const answer = startChat(server.url, '점검 시간은 언제인가요?');
      for (let i = 0; i < 500 && fake.activeExchanges() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      expect(fake.activeExchanges()).toBe(2);
      await new Promise((r) => setTimeout(r, 100));
      const started = Date.now();
      const code = await server.stop('SIGTERM');
      const elapsed = Date.now() - started;
      expect(code).toBe(0);
      expect(elapsed).toBeGreaterThanOrEqual(900);
      expect(elapsed).toBeLessThan(10_000);

      const received = events(await answer.text);
      expect(received.at(-1)?.event).toBe('done');
      expect(received.at(-1)).toMatchObject({ event: 'done', data: { status: 'partial' } });
      const stored = storedAnswers(server.dataDir);
      expect(stored).toHaveLength(1);
      expect(stored[0]?.status).toBe('partial');
      expect(stored[0]?.lanes_json).toContain('시작 개요');
      expect(await Promise.all(fake.requests.map((r) => r.outcome))).toEqual(['client-closed', 'client-closed']);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });

  it('lets an answer that finishes within the grace period complete, refuses new work meanwhile, then exits 0', async () => {
    fake.script(() => ({ chunks: ['하나 ', '둘 ', '셋 ', '넷 ', '다섯'], chunkDelayMs: 250 }));
    const server = await startServerProcess({
      ...bedrockEnv(),
      SHUTDOWN_GRACE_SECONDS: '20',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'dualnova-stop-')),
    });
    try {
      const answer = startChat(server.url, '환불 규정 알려주세요');
      for (let i = 0; i < 500 && fake.activeExchanges() < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const stopping = server.stop('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      // The listener is closed: a new connection is refused (or, on a kept-alive one, 503).
      const late = await fetch(`${server.url}/healthz`).then(
        (r) => r.status,
        () => 'refused',
      );
      expect(['refused', 503]).toContain(late);
      const code = await stopping;
      expect(code).toBe(0);
      const received = events(await answer.text);
      expect(received.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
      expect(storedAnswers(server.dataDir)[0]?.status).toBe('complete');
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      rmSync(server.dataDir, { recursive: true, force: true });
    }
  });
});

describe('exposure check at start-up', () => {
  it('refuses AUTH_MODE=none on a non-loopback address with a clear message and exit code 2', async () => {
    const child = spawn(process.execPath, [CLI, 'serve'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        HOST: '0.0.0.0',
        PORT: '0',
        AUTH_MODE: 'none',
        MODEL_PROVIDER: 'offline',
        DATA_DIR: '/nonexistent-dualnova',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(out).toContain('AUTH_MODE=none on HOST=0.0.0.0');
    expect(out).toContain('ALLOW_ANONYMOUS=true');
    expect(out).not.toContain('listening');
  });
});
