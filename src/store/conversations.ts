import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { StoredLane } from '../contract/conversations.js';
import type { Reference } from '../contract/common.js';
import type { Language, UiLanguage } from '../contract/languages.js';
import type { Database, MessagesTable } from './schema.js';

export type MessageStatus = MessagesTable['status'];
export type { StoredLane } from '../contract/conversations.js';
export type StoredReference = Reference;

export interface Conversation {
  id: string;
  userId: string | null;
  title: string;
  uiLanguage: UiLanguage;
  createdAt: string;
  updatedAt: string;
}

export interface Message {
  id: string;
  conversationId: string;
  seq: number;
  role: 'user' | 'assistant';
  content: string;
  lanes: StoredLane[] | null;
  references: StoredReference[] | null;
  status: MessageStatus;
  language: Language | null;
  translatedQuestion: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AssistantResult {
  content: string;
  lanes: StoredLane[];
  references: StoredReference[];
  status: Exclude<MessageStatus, 'streaming'>;
  translatedQuestion?: string | null;
}

const now = () => new Date().toISOString();
const TITLE_CHARS = 80;

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toMessage(row: MessagesTable): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    seq: Number(row.seq),
    role: row.role,
    content: row.content,
    lanes: parseJson<StoredLane[]>(row.lanes_json),
    references: parseJson<StoredReference[]>(row.references_json),
    status: row.status,
    language: row.language,
    translatedQuestion: row.translated_question,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Conversations and their messages. Every read and delete takes the caller's user id: a
 * conversation owned by someone else behaves exactly like one that does not exist.
 * `userId === undefined` means "no ownership filter" (admin or anonymous single-user mode).
 */
export class ConversationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: { userId: string | null; firstMessage: string; uiLanguage: UiLanguage }): Promise<Conversation> {
    const time = now();
    const title = input.firstMessage.replace(/\s+/g, ' ').trim().slice(0, TITLE_CHARS);
    const row = { id: randomUUID(), user_id: input.userId, title, ui_language: input.uiLanguage, created_at: time, updated_at: time };
    await this.db.insertInto('conversations').values(row).execute();
    return { id: row.id, userId: row.user_id, title, uiLanguage: row.ui_language, createdAt: time, updatedAt: time };
  }

  async find(id: string, userId?: string | null): Promise<Conversation | undefined> {
    let query = this.db.selectFrom('conversations').selectAll().where('id', '=', id);
    if (userId !== undefined) query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
    const row = await query.executeTakeFirst();
    return (
      row && {
        id: row.id,
        userId: row.user_id,
        title: row.title,
        uiLanguage: row.ui_language,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
      }
    );
  }

  async list(userId?: string | null, limit = 100): Promise<Conversation[]> {
    let query = this.db.selectFrom('conversations').selectAll().orderBy('updated_at', 'desc').orderBy('id').limit(limit);
    if (userId !== undefined) query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
    const rows = await query.execute();
    return rows.map((row) => ({
      id: row.id,
      userId: row.user_id,
      title: row.title,
      uiLanguage: row.ui_language,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async messages(conversationId: string): Promise<Message[]> {
    const rows = await this.db.selectFrom('messages').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').execute();
    return rows.map(toMessage);
  }

  async findMessage(id: string): Promise<Message | undefined> {
    const row = await this.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toMessage(row);
  }

  async delete(id: string, userId?: string | null): Promise<boolean> {
    const found = await this.find(id, userId);
    if (!found) return false;
    await this.db.transaction().execute(async (trx) => {
      const ids = trx.selectFrom('messages').select('id').where('conversation_id', '=', id);
      await trx.deleteFrom('feedback').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('messages').where('conversation_id', '=', id).execute();
      await trx.deleteFrom('conversations').where('id', '=', id).execute();
    });
    return true;
  }

  /** Appends a message at the next sequence number; concurrent writers (other containers) retry on conflict. */
  private async append(
    conversationId: string,
    fields: Omit<MessagesTable, 'id' | 'conversation_id' | 'seq' | 'created_at' | 'updated_at'>,
  ): Promise<Message> {
    for (let attempt = 0; ; attempt++) {
      const time = now();
      try {
        return await this.db.transaction().execute(async (trx) => {
          // Touching the conversation first takes its row lock (PostgreSQL), so appends to one conversation queue up.
          await trx.updateTable('conversations').set({ updated_at: time }).where('id', '=', conversationId).execute();
          const last = await trx
            .selectFrom('messages')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .where('conversation_id', '=', conversationId)
            .executeTakeFirst();
          const row: MessagesTable = {
            id: randomUUID(),
            conversation_id: conversationId,
            seq: Number(last?.seq ?? 0) + 1,
            created_at: time,
            updated_at: time,
            ...fields,
          };
          await trx.insertInto('messages').values(row).execute();
          return toMessage(row);
        });
      } catch (error) {
        if (attempt < 5 && isUniqueViolation(error)) continue;
        throw error;
      }
    }
  }

  appendUserMessage(conversationId: string, text: string, language: Language): Promise<Message> {
    return this.append(conversationId, {
      role: 'user',
      content: text,
      lanes_json: null,
      references_json: null,
      status: 'complete',
      language,
      translated_question: null,
    });
  }

  startAssistantMessage(conversationId: string, language: Language): Promise<Message> {
    return this.append(conversationId, {
      role: 'assistant',
      content: '',
      lanes_json: null,
      references_json: null,
      status: 'streaming',
      language,
      translated_question: null,
    });
  }

  async finishAssistantMessage(id: string, result: AssistantResult): Promise<void> {
    await this.db
      .updateTable('messages')
      .set({
        content: result.content,
        lanes_json: JSON.stringify(result.lanes),
        references_json: JSON.stringify(result.references),
        status: result.status,
        translated_question: result.translatedQuestion ?? null,
        updated_at: now(),
      })
      .where('id', '=', id)
      .execute();
  }
}
