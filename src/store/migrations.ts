import { type Kysely, type Migration, type MigrationProvider } from 'kysely';

type Dialect = 'sqlite' | 'postgres';

/** Migrations live in code so the built server needs no migration files beside it. */
export function migrationsFor(dialect: Dialect): MigrationProvider {
  const autoId = dialect === 'postgres' ? 'bigserial' : 'integer';
  const migrations: Record<string, Migration> = {
    '0001_initial': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('conversations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text')
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('ui_language', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('conversations_user_updated').on('conversations').columns(['user_id', 'updated_at']).execute();
        await db.schema
          .createTable('messages')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('content', 'text', (c) => c.notNull())
          .addColumn('lanes_json', 'text')
          .addColumn('references_json', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('language', 'text')
          .addColumn('translated_question', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('messages_conversation_seq', ['conversation_id', 'seq'])
          .execute();
        await db.schema
          .createTable('feedback')
          .addColumn('id', autoId, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
          .addColumn('user_id', 'text')
          .addColumn('rating', 'text', (c) => c.notNull())
          .addColumn('comment', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('feedback_message').on('feedback').column('message_id').execute();
        await db.schema
          .createTable('usage')
          .addColumn('id', autoId, (c) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('conversation_id', 'text')
          .addColumn('message_id', 'text')
          .addColumn('user_id', 'text')
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('lane', 'text')
          .addColumn('provider', 'text', (c) => c.notNull())
          .addColumn('model_id', 'text', (c) => c.notNull())
          .addColumn('input_tokens', 'integer', (c) => c.notNull())
          .addColumn('output_tokens', 'integer', (c) => c.notNull())
          .addColumn('cache_read_input_tokens', 'integer', (c) => c.notNull())
          .addColumn('cache_write_input_tokens', 'integer', (c) => c.notNull())
          .addColumn('latency_ms', 'integer', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('cost_usd', 'double precision')
          .addColumn('estimated', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.createIndex('usage_created').on('usage').column('created_at').execute();
      },
    },
    '0002_api_tokens': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('api_tokens')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull().unique())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('token_hash', 'text', (c) => c.notNull().unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text')
          .addColumn('last_used_at', 'text')
          .addColumn('revoked_at', 'text')
          .execute();
      },
    },
    // Daily budgets (src/usage/budgets.ts): one counter row per scope and budget day, updated with
    // every ledger row and reserved against atomically before model calls; open reservations.
    '0003_usage_budgets': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('budget_counters')
          .addColumn('scope', 'text', (c) => c.notNull())
          .addColumn('period', 'text', (c) => c.notNull())
          .addColumn('used_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('used_cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
          .addColumn('calls', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('reserved_tokens', 'bigint', (c) => c.notNull().defaultTo(0))
          .addColumn('reserved_cost_usd', 'double precision', (c) => c.notNull().defaultTo(0))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('budget_counters_pk', ['scope', 'period'])
          .execute();
        await db.schema
          .createTable('budget_reservations')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('period', 'text', (c) => c.notNull())
          .addColumn('scopes', 'text', (c) => c.notNull())
          .addColumn('tokens', 'bigint', (c) => c.notNull())
          .addColumn('cost_usd', 'double precision', (c) => c.notNull())
          .addColumn('mode', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('budget_reservations_created').on('budget_reservations').column('created_at').execute();
        await db.schema.createIndex('usage_conversation').on('usage').column('conversation_id').execute();
        await db.schema.createIndex('usage_user_created').on('usage').columns(['user_id', 'created_at']).execute();
      },
    },
  };
  return { getMigrations: async () => migrations };
}
