/**
 * Read side of the usage ledger: sums per model, per purpose, per conversation, over a time range,
 * for the whole deployment or one user. Same SQL on SQLite and PostgreSQL (whose SUM/COUNT come
 * back as strings: everything is read through Number()).
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { TokenUsage } from '../models/types.js';
import type { Database } from '../store/schema.js';
import { roundUsd } from './prices.js';

export { USAGE_WINDOWS, type UsageWindow } from '../contract/codes.js';
import type { UsageWindow } from '../contract/codes.js';
import type { LedgerSums, LedgerSummary } from '../contract/usage.js';
export type { LedgerModelRow, LedgerSummary } from '../contract/usage.js';
export const WINDOW_SECONDS: Record<UsageWindow, number> = { '1h': 3600, '24h': 86_400, '7d': 604_800 };

export interface LedgerFilter {
  from: Date;
  to: Date;
  /** undefined: every user; null: the anonymous user only; a string: that user only. */
  userId?: string | null | undefined;
  /** Only calls of this provider (reconciliation reads `bedrock`). */
  provider?: string;
}

/** GET /api/conversations/:id → `usage`: every call of the conversation, translations included. */
export interface ConversationUsage extends TokenUsage {
  calls: number;
  /** Null when any call has no known price (like the `done` event's costUsd). */
  costUsd: number | null;
}

type Row = Record<string, unknown>;

const n = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));

function sums(row: Row): LedgerSums {
  const usage: TokenUsage = {
    inputTokens: n(row.input_tokens),
    outputTokens: n(row.output_tokens),
    cacheReadInputTokens: n(row.cache_read_input_tokens),
    cacheWriteInputTokens: n(row.cache_write_input_tokens),
  };
  const calls = n(row.calls);
  const unpriced = n(row.unpriced_calls);
  const prompt = usage.inputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
  return {
    calls,
    ...usage,
    totalTokens: prompt + usage.outputTokens,
    costUsd: calls > 0 && unpriced === calls ? null : roundUsd(n(row.cost_usd)),
    unpricedCalls: unpriced,
    estimatedCalls: n(row.estimated_calls),
    failedCalls: n(row.failed_calls),
    cacheReadShare: prompt > 0 ? Math.round((usage.cacheReadInputTokens / prompt) * 10_000) / 10_000 : null,
  };
}

export class UsageQueries {
  constructor(private readonly db: Kysely<Database>) {}

  private filtered(filter: LedgerFilter): SelectQueryBuilder<Database, 'usage', object> {
    let query = this.db
      .selectFrom('usage')
      .where('created_at', '>=', filter.from.toISOString())
      .where('created_at', '<=', filter.to.toISOString()); // up to and including now
    if (filter.userId !== undefined)
      query = filter.userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', filter.userId);
    if (filter.provider !== undefined) query = query.where('provider', '=', filter.provider);
    return query;
  }

  async summary(filter: LedgerFilter): Promise<LedgerSummary> {
    const aggregates = [
      sql<number>`count(*)`.as('calls'),
      sql<number>`sum(input_tokens)`.as('input_tokens'),
      sql<number>`sum(output_tokens)`.as('output_tokens'),
      sql<number>`sum(cache_read_input_tokens)`.as('cache_read_input_tokens'),
      sql<number>`sum(cache_write_input_tokens)`.as('cache_write_input_tokens'),
      sql<number>`sum(cost_usd)`.as('cost_usd'),
      sql<number>`sum(case when cost_usd is null then 1 else 0 end)`.as('unpriced_calls'),
      sql<number>`sum(estimated)`.as('estimated_calls'),
      sql<number>`sum(case when status = 'failed' then 1 else 0 end)`.as('failed_calls'),
    ] as const;
    const [byModel, byPurpose, totals] = await Promise.all([
      this.filtered(filter)
        .select(['model_id', 'provider', ...aggregates, sql<number>`avg(latency_ms)`.as('avg_latency_ms')])
        .groupBy(['model_id', 'provider'])
        .execute(),
      this.filtered(filter)
        .select(['purpose', ...aggregates])
        .groupBy('purpose')
        .execute(),
      this.filtered(filter)
        .select([...aggregates])
        .executeTakeFirst(),
    ]);
    return {
      from: filter.from.toISOString(),
      to: filter.to.toISOString(),
      byModel: byModel
        .map((row) => ({
          modelId: row.model_id,
          provider: row.provider,
          ...sums(row as Row),
          avgLatencyMs: row.avg_latency_ms === null ? null : Math.round(n(row.avg_latency_ms)),
        }))
        .sort((a, b) => b.totalTokens - a.totalTokens || a.modelId.localeCompare(b.modelId)),
      byPurpose: byPurpose
        .map((row) => ({ purpose: row.purpose, ...sums(row as Row) }))
        .sort((a, b) => b.totalTokens - a.totalTokens || a.purpose.localeCompare(b.purpose)),
      totals: sums(totals ?? {}),
    };
  }

  async conversation(conversationId: string): Promise<ConversationUsage> {
    const row = await this.db
      .selectFrom('usage')
      .select([
        sql<number>`count(*)`.as('calls'),
        sql<number>`sum(input_tokens)`.as('input_tokens'),
        sql<number>`sum(output_tokens)`.as('output_tokens'),
        sql<number>`sum(cache_read_input_tokens)`.as('cache_read_input_tokens'),
        sql<number>`sum(cache_write_input_tokens)`.as('cache_write_input_tokens'),
        sql<number>`sum(cost_usd)`.as('cost_usd'),
        sql<number>`sum(case when cost_usd is null then 1 else 0 end)`.as('unpriced_calls'),
      ])
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    const r = (row ?? {}) as Row;
    return {
      calls: n(r.calls),
      inputTokens: n(r.input_tokens),
      outputTokens: n(r.output_tokens),
      cacheReadInputTokens: n(r.cache_read_input_tokens),
      cacheWriteInputTokens: n(r.cache_write_input_tokens),
      costUsd: n(r.unpriced_calls) > 0 ? null : roundUsd(n(r.cost_usd)),
    };
  }

  /** Model ids in the range that have calls without a known price (for the report's warnings). */
  async unpricedModels(filter: LedgerFilter): Promise<Array<{ modelId: string; calls: number }>> {
    const rows = await this.filtered(filter)
      .select(['model_id', sql<number>`count(*)`.as('calls')])
      .where('cost_usd', 'is', null)
      .groupBy('model_id')
      .execute();
    return rows.map((r) => ({ modelId: r.model_id, calls: n(r.calls) }));
  }
}
