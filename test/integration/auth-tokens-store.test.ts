import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashApiToken } from '../../src/auth/api-tokens.js';
import { openStore, type Store } from '../../src/store/database.js';
import { TokenNameError, TokenRepository } from '../../src/store/tokens.js';
import { createTestDatabase } from '../helpers/postgres.js';

const backends = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dualnova-tokens-'));
      return { store: await openStore({ dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const db = await createTestDatabase('tokens');
      return { store: await openStore({ dataDir: '', databaseUrl: db.url }), cleanup: db.drop };
    },
  },
];

describe.each(backends)('API token store on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let tokens: TokenRepository;

  beforeAll(async () => {
    ({ store, cleanup } = await backend.open());
    tokens = new TokenRepository(store.db);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('creates a token, keeps only its hash, and finds it by the token', async () => {
    const { token, info } = await tokens.create({ name: 'alice', role: 'agent', createdBy: 'test' });
    const row = await store.db.selectFrom('api_tokens').selectAll().where('id', '=', info.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashApiToken(token));
    expect(Object.values(row).join(' ')).not.toContain(token);
    expect(await tokens.findByToken(token)).toMatchObject({ name: 'alice', role: 'agent', revokedAt: null, createdBy: 'test' });
    expect(await tokens.findByToken(`${token.slice(0, -1)}x`)).toBeUndefined();
  });

  it('keeps names unique forever and validates them', async () => {
    await expect(tokens.create({ name: 'alice', role: 'admin' })).rejects.toBeInstanceOf(TokenNameError);
    await expect(tokens.create({ name: '', role: 'agent' })).rejects.toBeInstanceOf(TokenNameError);
    await expect(tokens.create({ name: 'a b', role: 'agent' })).rejects.toBeInstanceOf(TokenNameError);
    await expect(tokens.create({ name: 'x'.repeat(65), role: 'agent' })).rejects.toBeInstanceOf(TokenNameError);
  });

  it('revokes once, lists without secrets, and records use at most once a minute', async () => {
    const { token } = await tokens.create({ name: 'bot', role: 'admin' });
    const found = await tokens.findByToken(token);
    expect(found?.lastUsedAt).toBeNull();
    await tokens.touch(found!, new Date('2026-11-01T00:00:00Z'));
    const touched = await tokens.findByToken(token);
    expect(touched?.lastUsedAt).toBe('2026-11-01T00:00:00.000Z');
    await tokens.touch(touched!, new Date('2026-11-01T00:00:30Z'));
    expect((await tokens.findByToken(token))?.lastUsedAt).toBe('2026-11-01T00:00:00.000Z');
    expect(await tokens.revoke('bot')).toBe(true);
    expect(await tokens.revoke('bot')).toBe(false);
    expect(await tokens.revoke('nobody')).toBe(false);
    expect((await tokens.findByToken(token))?.revokedAt).not.toBeNull();
    const list = await tokens.list();
    expect(list.map((t) => t.name)).toEqual(['alice', 'bot']);
    expect(JSON.stringify(list)).not.toMatch(/[0-9a-f]{64}/);
    await expect(tokens.create({ name: 'bot', role: 'agent' })).rejects.toBeInstanceOf(TokenNameError);
  });
});
