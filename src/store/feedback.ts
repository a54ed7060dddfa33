import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface Feedback {
  messageId: string;
  rating: 'up' | 'down';
  comment: string | null;
  createdAt: string;
}

export interface PoorAnswer extends Feedback {
  conversationId: string;
  question: string;
  answer: string;
}

export class FeedbackRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** One opinion per message and user: a new rating replaces the previous one. */
  async record(input: { messageId: string; userId: string | null; rating: 'up' | 'down'; comment: string | null }): Promise<Feedback> {
    const createdAt = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      let stale = trx.deleteFrom('feedback').where('message_id', '=', input.messageId);
      stale = input.userId === null ? stale.where('user_id', 'is', null) : stale.where('user_id', '=', input.userId);
      await stale.execute();
      await trx
        .insertInto('feedback')
        .values({ message_id: input.messageId, user_id: input.userId, rating: input.rating, comment: input.comment, created_at: createdAt })
        .execute();
    });
    return { messageId: input.messageId, rating: input.rating, comment: input.comment, createdAt };
  }

  async forMessages(messageIds: string[]): Promise<Map<string, Feedback>> {
    if (messageIds.length === 0) return new Map();
    const rows = await this.db.selectFrom('feedback').selectAll().where('message_id', 'in', messageIds).orderBy('created_at').execute();
    return new Map(
      rows.map((r) => [r.message_id, { messageId: r.message_id, rating: r.rating, comment: r.comment, createdAt: r.created_at }]),
    );
  }

  /** Rated answers with the question that prompted them, newest first (the team lead's review list). */
  async list(rating: 'up' | 'down' | undefined, limit = 100): Promise<PoorAnswer[]> {
    let query = this.db
      .selectFrom('feedback as f')
      .innerJoin('messages as a', 'a.id', 'f.message_id')
      .leftJoin('messages as q', (join) =>
        join.onRef('q.conversation_id', '=', 'a.conversation_id').on((eb) => eb('q.seq', '=', eb('a.seq', '-', 1))),
      )
      .select([
        'f.message_id',
        'f.rating',
        'f.comment',
        'f.created_at',
        'a.conversation_id',
        'a.content as answer',
        'q.content as question',
      ])
      .orderBy('f.created_at', 'desc')
      .limit(limit);
    if (rating) query = query.where('f.rating', '=', rating);
    const rows = await query.execute();
    return rows.map((r) => ({
      messageId: r.message_id,
      rating: r.rating,
      comment: r.comment,
      createdAt: r.created_at,
      conversationId: r.conversation_id,
      question: r.question ?? '',
      answer: r.answer,
    }));
  }
}
