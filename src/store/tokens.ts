import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { generateApiToken, hashApiToken, hashesEqual, TOKEN_NAME } from '../auth/api-tokens.js';
import type { Role } from '../auth/principal.js';
import type { ApiTokensTable, Database } from './schema.js';
import type { ApiTokenInfo } from '../contract/admin.js';
export type { ApiTokenInfo } from '../contract/admin.js';

export class TokenNameError extends Error {
  override readonly name = 'TokenNameError';
}

/** last_used_at is written at most this often per token, so a busy token is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

function toInfo(row: ApiTokensTable): ApiTokenInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** API tokens: created (the secret is returned once and never stored), listed, revoked, checked. */
export class TokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Returns the token text; only its hash is kept. Names are unique forever (a revoked name is not reused). */
  async create(input: { name: string; role: Role; createdBy?: string | null }): Promise<{ token: string; info: ApiTokenInfo }> {
    if (!TOKEN_NAME.test(input.name)) {
      throw new TokenNameError('A token name is 1–64 characters: letters, digits, and . _ @ - (starting with a letter or digit).');
    }
    const token = generateApiToken();
    const row: ApiTokensTable = {
      id: randomUUID(),
      name: input.name,
      role: input.role,
      token_hash: hashApiToken(token),
      created_at: new Date().toISOString(),
      created_by: input.createdBy ?? null,
      last_used_at: null,
      revoked_at: null,
    };
    try {
      await this.db.insertInto('api_tokens').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new TokenNameError(`A token named "${input.name}" already exists (revoked names are not reused).`);
      throw error;
    }
    return { token, info: toInfo(row) };
  }

  async list(): Promise<ApiTokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('name').execute();
    return rows.map(toInfo);
  }

  /** true when a live token of that name was revoked now; false when there is none (or it was already revoked). */
  async revoke(name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: new Date().toISOString() })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * The token's row when the token is known, whether revoked or not (the caller decides), else
   * undefined. The row is found by its hash, then the hash is compared again in constant time.
   */
  async findByToken(token: string): Promise<ApiTokenInfo | undefined> {
    const hash = hashApiToken(token);
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!row || !hashesEqual(row.token_hash, hash)) return undefined;
    return toInfo(row);
  }

  /** Records use; cheap to call on every request (writes at most once a minute per token). */
  async touch(info: ApiTokenInfo, now = new Date()): Promise<void> {
    if (info.lastUsedAt !== null && now.getTime() - Date.parse(info.lastUsedAt) < TOUCH_EVERY_MS) return;
    await this.db.updateTable('api_tokens').set({ last_used_at: now.toISOString() }).where('id', '=', info.id).execute();
  }
}
