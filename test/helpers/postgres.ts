import pg from 'pg';

/** The test database; `.ci/run` makes sure the cluster is up. Override with DUALNOVA_TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.DUALNOVA_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dualnova_test';

/** Creates a fresh schema-isolated database URL for one test file: a new database dropped afterwards. */
export async function createTestDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(TEST_DATABASE_URL);
  const name = `${base.pathname.slice(1)}_${prefix}_${process.pid}_${Date.now().toString(36)}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  const admin = new URL(TEST_DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin.toString() });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
