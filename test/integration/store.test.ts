import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationRepository } from '../../src/store/conversations.js';
import { openStore, type Store } from '../../src/store/database.js';
import { FeedbackRepository } from '../../src/store/feedback.js';
import { createTestDatabase } from '../helpers/postgres.js';

interface Backend {
  name: string;
  open: () => Promise<{ store: Store; cleanup: () => Promise<void>; reopen: () => Promise<Store> }>;
}

const backends: Backend[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'dualnova-store-'));
      return {
        store: await openStore({ dataDir: dir }),
        reopen: () => openStore({ dataDir: dir }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      const db = await createTestDatabase('store');
      return {
        store: await openStore({ dataDir: '', databaseUrl: db.url }),
        reopen: () => openStore({ dataDir: '', databaseUrl: db.url }),
        cleanup: db.drop,
      };
    },
  },
];

describe.each(backends)('store on $name', (backend) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let reopen: () => Promise<Store>;
  let conversations: ConversationRepository;

  beforeAll(async () => {
    ({ store, cleanup, reopen } = await backend.open());
    conversations = new ConversationRepository(store.db);
  });
  afterAll(async () => {
    await store.close();
    await cleanup();
  });

  it('stores a conversation with its messages in order and reads it back', async () => {
    const conversation = await conversations.create({ userId: null, firstMessage: '  환불은   어떻게 하나요?  ', uiLanguage: 'ko' });
    expect(conversation.title).toBe('환불은 어떻게 하나요?');
    await conversations.appendUserMessage(conversation.id, '환불은 어떻게 하나요?', 'ko');
    const answer = await conversations.startAssistantMessage(conversation.id, 'ko');
    expect(answer.status).toBe('streaming');
    await conversations.finishAssistantMessage(answer.id, {
      content: 'overview\n\ndetail',
      lanes: [
        {
          lane: 'ko',
          role: 'customer',
          parts: {
            overview: { text: 'overview', model: 'm', status: 'complete' },
            detail: { text: 'detail', model: 'm', status: 'partial' },
          },
        },
      ],
      references: [{ id: 'a#1', title: 'A', uri: 'kb://a', score: 1.5, excerpt: 'e' }],
      status: 'partial',
    });
    const messages = await conversations.messages(conversation.id);
    expect(messages.map((m) => [m.seq, m.role, m.status])).toEqual([
      [1, 'user', 'complete'],
      [2, 'assistant', 'partial'],
    ]);
    expect(messages[1]?.lanes?.[0]?.parts.detail.status).toBe('partial');
    expect(messages[1]?.references?.[0]?.score).toBe(1.5);
  });

  it("never shows one user another user's conversation", async () => {
    const mine = await conversations.create({ userId: 'alice', firstMessage: 'mine', uiLanguage: 'en' });
    expect(await conversations.find(mine.id, 'bob')).toBeUndefined();
    expect(await conversations.find(mine.id, 'alice')).toBeDefined();
    expect((await conversations.list('bob')).some((c) => c.id === mine.id)).toBe(false);
    expect(await conversations.delete(mine.id, 'bob')).toBe(false);
    expect(await conversations.find(mine.id)).toBeDefined();
  });

  it('gives concurrent appends distinct sequence numbers', async () => {
    const conversation = await conversations.create({ userId: null, firstMessage: 'race', uiLanguage: 'en' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => conversations.appendUserMessage(conversation.id, `m${i}`, 'en')));
    const seqs = (await conversations.messages(conversation.id)).map((m) => m.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("records feedback, replaces a user's earlier rating and lists poor answers with their question", async () => {
    const feedback = new FeedbackRepository(store.db);
    const conversation = await conversations.create({ userId: null, firstMessage: 'q', uiLanguage: 'en' });
    await conversations.appendUserMessage(conversation.id, 'Why was I banned?', 'en');
    const answer = await conversations.startAssistantMessage(conversation.id, 'en');
    await conversations.finishAssistantMessage(answer.id, { content: 'Because.', lanes: [], references: [], status: 'complete' });
    await feedback.record({ messageId: answer.id, userId: null, rating: 'up', comment: null });
    await feedback.record({ messageId: answer.id, userId: null, rating: 'down', comment: 'too short' });
    const poor = await feedback.list('down');
    const item = poor.find((p) => p.messageId === answer.id);
    expect(item).toMatchObject({ question: 'Why was I banned?', answer: 'Because.', comment: 'too short', rating: 'down' });
    expect((await feedback.forMessages([answer.id])).get(answer.id)?.rating).toBe('down');
  });

  it('deletes a conversation with its messages and feedback', async () => {
    const conversation = await conversations.create({ userId: null, firstMessage: 'bye', uiLanguage: 'en' });
    const answer = await conversations.startAssistantMessage(conversation.id, 'en');
    await new FeedbackRepository(store.db).record({ messageId: answer.id, userId: null, rating: 'up', comment: null });
    expect(await conversations.delete(conversation.id)).toBe(true);
    expect(await conversations.find(conversation.id)).toBeUndefined();
    expect(await conversations.messages(conversation.id)).toEqual([]);
  });

  it('runs migrations idempotently when opened again (and concurrently)', async () => {
    const [a, b] = await Promise.all([reopen(), reopen()]);
    const found = await new ConversationRepository(a.db).list(undefined);
    expect(found.length).toBeGreaterThan(0);
    await a.close();
    await b.close();
  });
});
