import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { ChatService } from '../src/chat/answer-question.js';
import { createLogger, type Logger } from '../src/log/logger.js';
import { buildServer } from '../src/server/app.js';
import { ConversationRepository } from '../src/store/conversations.js';
import { openStore } from '../src/store/database.js';
import { FeedbackRepository } from '../src/store/feedback.js';
import type { Database } from '../src/store/schema.js';

/** The real Fastify server and SQLite store on loopback, around a ChatService the benchmark composes. */
export async function startBenchServer(
  makeChat: (db: Kysely<Database>, logger: Logger) => ChatService,
): Promise<{ url: string; close: () => Promise<void> }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-bench-'));
  const store = await openStore({ dataDir });
  const logger = createLogger('silent');
  const { app } = await buildServer({
    logger,
    chat: makeChat(store.db, logger),
    conversations: new ConversationRepository(store.db),
    feedback: new FeedbackRepository(store.db),
    status: () => {
      throw new Error('not used');
    },
    readiness: () => ({ ready: true, reasons: [] }),
    examples: async () => [],
    glossary: () => null,
    maxMessageChars: 4000,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
