import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { hashApiToken } from '../../src/auth/api-tokens.js';
import { openStore } from '../../src/store/database.js';
import { CLI, ROOT } from '../helpers/server-process.js';

const run = promisify(execFile);
const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-cli-tokens-'));
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, AUTH_MODE: 'token', LOG_LEVEL: 'silent' };

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'tokens', ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('dualnova tokens (built CLI)', () => {
  it('creates a token, prints it once on stdout, stores only its hash, lists and revokes it', async () => {
    const created = await cli('create', '--name', 'desk-bot', '--role', 'agent');
    expect(created.code).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^dn_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('shown only this once');

    const store = await openStore({ dataDir });
    try {
      const rows = await store.db.selectFrom('api_tokens').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.token_hash).toBe(hashApiToken(token));
    } finally {
      await store.close();
    }

    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/desk-bot\s+agent\s+active/);
    expect(list.stdout).not.toContain(token);
    const json = JSON.parse((await cli('list', '--json')).stdout) as { tokens: { name: string; revokedAt: string | null }[] };
    expect(json.tokens[0]).toMatchObject({ name: 'desk-bot', revokedAt: null });

    expect((await cli('revoke', 'desk-bot')).code).toBe(0);
    expect((await cli('list')).stdout).toMatch(/desk-bot\s+agent\s+revoked/);
    expect((await cli('revoke', 'desk-bot')).code).toBe(1);
  }, 120_000);

  // Each case is a process start (slow on a busy machine): run them side by side.
  it('reports bad usage with exit code 2', async () => {
    const codes = await Promise.all([
      cli('create', '--name', 'x'),
      cli('create', '--name', 'x', '--role', 'root'),
      cli('create', '--name', 'bad name', '--role', 'agent'),
      cli('revoke'),
      cli('frobnicate'),
      cli('create', '--name', 'desk-bot', '--role', 'agent'),
    ]);
    expect(codes.map((c) => c.code)).toEqual([2, 2, 2, 2, 2, 2]);
  }, 120_000);
});
