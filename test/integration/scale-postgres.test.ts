import { mkdtempSync, rmSync } from 'node:fs';
import { dataOf } from '../../src/contract/sse.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.js';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/log/logger.js';
import { openStore } from '../../src/store/database.js';
import { TokenRepository } from '../../src/store/tokens.js';
import { createTestDatabase, TEST_DATABASE_URL } from '../helpers/postgres.js';
import { call, chat, startSecuredApp, type SecuredApp } from '../helpers/security-app.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL: migrations when several instances start at once', () => {
  it('three stores and two full runtimes migrating one new database concurrently all succeed, each migration applied once', async () => {
    const db = await createTestDatabase('scale_migrate');
    const dirs: string[] = [];
    try {
      const stores = await Promise.all([1, 2, 3].map(() => openStore({ dataDir: '', databaseUrl: db.url })));
      const rows = await stores[0]!.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .execute();
      const names = (rows as { name: string }[]).map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain('0002_api_tokens');
      await Promise.all(stores.map((s) => s.close()));

      const fresh = await createTestDatabase('scale_runtime');
      try {
        const runtimes = await Promise.all(
          [1, 2].map(() => {
            const dir = mkdtempSync(path.join(tmpdir(), 'dualnova-rt-'));
            dirs.push(dir);
            return createRuntime(
              loadSettings({ env: { DATA_DIR: dir, DATABASE_URL: fresh.url, MODEL_PROVIDER: 'offline', LOG_LEVEL: 'silent' } }),
              createLogger('silent'),
            );
          }),
        );
        const conversation = await runtimes[0]!.conversations.create({ userId: 'u', firstMessage: 'hello', uiLanguage: 'en' });
        expect(await runtimes[1]!.conversations.find(conversation.id, 'u')).toBeDefined();
        await Promise.all(runtimes.map((r) => r.close()));
      } finally {
        await fresh.drop();
      }
    } finally {
      await db.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL connection loss: 503 for the affected requests, no crash, recovery', () => {
  let db: { url: string; drop: () => Promise<void> };
  let name: string;
  let open: SecuredApp;
  let tokenApp: SecuredApp;
  let token: string;

  const cutOff = () =>
    admin(async (c) => {
      await c.query(`alter database "${name}" with allow_connections false`);
      await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    });
  const restore = () => admin((c) => c.query(`alter database "${name}" with allow_connections true`));

  beforeAll(async () => {
    db = await createTestDatabase('scale_outage');
    name = new URL(db.url).pathname.slice(1);
    open = await startSecuredApp({ DATABASE_URL: db.url, AUTH_MODE: 'none' });
    tokenApp = await startSecuredApp({ DATABASE_URL: db.url, AUTH_MODE: 'token' });
    token = (await tokenApp.tokens.create({ name: 'alice', role: 'agent' })).token;
  });
  afterAll(async () => {
    await restore().catch(() => undefined);
    await open?.close();
    await tokenApp?.close();
    await db?.drop();
  });

  it('answers 503 database_unavailable while the database is gone, keeps serving health checks, and recovers', async () => {
    const before = await chat(open.url, { message: '환불 규정 알려주세요', uiLanguage: 'ko' });
    expect(before.status).toBe(200);
    const conversationId = dataOf(before.events, 'meta')?.conversationId as string;

    await cutOff();
    try {
      const list = await call(`${open.url}/api/conversations`);
      expect(list.status).toBe(503);
      expect(list.json).toMatchObject({ error: { code: 'database_unavailable' } });
      expect(list.text).not.toMatch(/57P01|terminat|accepting|at .*\.js/);
      const asked = await chat(open.url, { message: '점검 시간은요?', uiLanguage: 'ko' });
      expect(asked.status).toBe(503);
      expect(asked.json).toMatchObject({ error: { code: 'database_unavailable' } });
      // Token check needs the database too: 503, not a misleading 401.
      const authed = await call(`${tokenApp.url}/api/conversations`, { headers: { authorization: `Bearer ${token}` } });
      expect(authed.status).toBe(503);
      expect(authed.json).toMatchObject({ error: { code: 'database_unavailable' } });
      expect((await call(`${open.url}/healthz`)).status).toBe(200);
    } finally {
      await restore();
    }

    let recovered = await call(`${open.url}/api/conversations`);
    for (let i = 0; i < 50 && recovered.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = await call(`${open.url}/api/conversations`);
    }
    expect(recovered.status).toBe(200);
    expect(recovered.json.conversations.map((c: { id: string }) => c.id)).toContain(conversationId);
    expect((await chat(open.url, { conversationId, message: '교환은요?', uiLanguage: 'ko' })).status).toBe(200);
    expect((await call(`${tokenApp.url}/api/conversations`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});

describe('two server processes on one PostgreSQL', () => {
  let db: { url: string; drop: () => Promise<void> };
  let a: ServerProcess;
  let b: ServerProcess;
  const tokens: Record<string, string> = {};
  const as = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });

  beforeAll(async () => {
    db = await createTestDatabase('scale_two');
    const env = { DATABASE_URL: db.url, AUTH_MODE: 'token', RATE_LIMIT_PER_MINUTE: '1000', MAX_CONCURRENT_STREAMS: '50' };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const store = await openStore({ dataDir: '', databaseUrl: db.url });
    const repo = new TokenRepository(store.db);
    for (const [name, role] of [
      ['alice', 'agent'],
      ['bob', 'agent'],
      ['lead', 'admin'],
    ] as const)
      tokens[name] = (await repo.create({ name, role })).token;
    await store.close();
  });
  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    expect(codes).toEqual([0, 0]);
    await db?.drop();
  });

  const messages = async (conversationId: string) => {
    const store = await openStore({ dataDir: '', databaseUrl: db.url });
    try {
      return await store.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute();
    } finally {
      await store.close();
    }
  };

  it('continues on B a conversation started on A', async () => {
    const first = await chat(a.url, { message: '환불은 며칠 안에 되나요?', uiLanguage: 'ko' }, as('alice'));
    expect(first.status).toBe(200);
    const conversationId = dataOf(first.events, 'meta')?.conversationId as string;
    const second = await chat(b.url, { conversationId, message: '교환도 되나요?', uiLanguage: 'ko' }, as('alice'));
    expect(second.status).toBe(200);
    expect(dataOf(second.events, 'done')?.status).toBe('complete');
    const rows = await messages(conversationId);
    expect(rows.map((r) => [r.seq, r.role])).toEqual([
      [1, 'user'],
      [2, 'assistant'],
      [3, 'user'],
      [4, 'assistant'],
    ]);
    expect(rows.map((r) => r.content).slice(0, 1)).toEqual(['환불은 며칠 안에 되나요?']);
    // Ownership holds across instances too.
    expect((await call(`${b.url}/api/conversations/${conversationId}`, { headers: as('bob') })).status).toBe(404);
    expect((await call(`${b.url}/api/conversations/${conversationId}`, { headers: as('alice') })).json.messages).toHaveLength(4);
  });

  it('loses and duplicates nothing when both instances append to one conversation at once', async () => {
    const first = await chat(a.url, { message: '점검 시간 알려주세요', uiLanguage: 'ko' }, as('alice'));
    const conversationId = dataOf(first.events, 'meta')?.conversationId as string;
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        chat(i % 2 === 0 ? a.url : b.url, { conversationId, message: `추가 질문 ${i}`, uiLanguage: 'ko' }, as('alice')),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(200));
    const rows = await messages(conversationId);
    expect(rows).toHaveLength(2 + 24);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(
      rows
        .filter((r) => r.role === 'user')
        .map((r) => r.content)
        .sort(),
    ).toEqual(['점검 시간 알려주세요', ...Array.from({ length: 12 }, (_, i) => `추가 질문 ${i}`)].sort());
    expect(rows.every((r) => r.status !== 'streaming')).toBe(true);
  });

  it('refuses NUL and other control characters with a 4xx before any query reaches PostgreSQL', async () => {
    expect((await call(`${a.url}/api/admin/tokens/%00`, { method: 'DELETE', headers: as('lead') })).status).toBe(404);
    const named = await call(`${a.url}/api/admin/tokens`, {
      method: 'POST',
      headers: as('lead'),
      json: { name: 'bad\u0000name', role: 'agent' },
    });
    expect(named.status).toBe(400);
    expect(named.json.error.code).toBe('invalid_text');
    const answered = await chat(a.url, { message: '점검 시간 알려주세요', uiLanguage: 'ko' }, as('alice'));
    const messageId = dataOf(answered.events, 'meta')!.messageId;
    const rated = await call(`${a.url}/api/messages/${messageId}/feedback`, {
      method: 'POST',
      headers: as('alice'),
      json: { rating: 'down', comment: 'wrong\u0000answer' },
    });
    expect(rated.status).toBe(400);
    expect(rated.json.error.code).toBe('invalid_text');
    // The server is fine afterwards: the same rating without the NUL is stored.
    expect(
      (await call(`${a.url}/api/messages/${messageId}/feedback`, { method: 'POST', headers: as('alice'), json: { rating: 'down' } }))
        .status,
    ).toBe(201);
  });

  it('a token revoked through one instance is refused by the other at once', async () => {
    const created = await call(`${a.url}/api/admin/tokens`, { method: 'POST', headers: as('lead'), json: { name: 'temp', role: 'agent' } });
    expect(created.status).toBe(201);
    const temp = { authorization: `Bearer ${created.json.token as string}` };
    expect((await call(`${b.url}/api/conversations`, { headers: temp })).status).toBe(200);
    expect((await call(`${a.url}/api/admin/tokens/temp`, { method: 'DELETE', headers: as('lead') })).status).toBe(204);
    expect((await call(`${b.url}/api/conversations`, { headers: temp })).status).toBe(401);
  });
});
