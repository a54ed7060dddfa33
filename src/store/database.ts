import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { migrationsFor } from './migrations.js';
import type { Database } from './schema.js';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface Store {
  readonly kind: DatabaseKind;
  readonly db: Kysely<Database>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** postgres:// URL; when absent, a SQLite file in dataDir. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** SQLite file name inside dataDir. */
  fileName?: string;
  /** Told when an idle pooled PostgreSQL connection dies (the next query reports the outage itself). */
  onPoolError?: (error: Error) => void;
}

/** Opens the database and brings its schema up to date. Kysely's migrator locks, so concurrent starts are safe. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const store = options.databaseUrl
    ? openPostgres(options.databaseUrl, options.onPoolError)
    : openSqlite(options.dataDir, options.fileName ?? 'dualnova.sqlite');
  const migrator = new Migrator({ db: store.db, provider: migrationsFor(store.kind) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await store.close();
    const reason =
      error instanceof Error ? error.message : error !== undefined ? JSON.stringify(error) : `migration ${failed?.migrationName ?? '?'}`;
    throw new Error(`Database migration failed (${store.kind}): ${reason}`);
  }
  return store;
}

function openSqlite(dataDir: string, fileName: string): Store {
  const file = fileName === ':memory:' ? ':memory:' : path.join(dataDir, fileName);
  if (file !== ':memory:') mkdirSync(dataDir, { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { kind: 'sqlite', db, close: () => db.destroy() };
}

function openPostgres(url: string, onPoolError: (error: Error) => void = () => undefined): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  // Without a listener an idle client's lost connection would crash the process.
  pool.on('error', onPoolError);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { kind: 'postgres', db, close: () => db.destroy() };
}
