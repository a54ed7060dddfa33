import type { Kysely } from 'kysely';
import type { TokenUsage } from '../models/types.js';
import type { Database } from '../store/schema.js';
import { addToCounters, budgetPeriod, DEPLOYMENT_SCOPE, userScope } from './budgets.js';
import type { EmfWriter } from './emf.js';
import type { LedgerEntry } from './ledger-entry.js';

export type { LedgerEntry } from './ledger-entry.js';

export interface LedgerOptions {
  /** Start hour (UTC) of the budget day the counters are kept per (BUDGET_RESET_HOUR_UTC). */
  resetHourUtc?: number;
  /** One Embedded Metric Format line per row (METRICS_EMF). */
  emf?: EmfWriter | undefined;
  now?: () => Date;
}

/** Every token a call was billed for: input, output, cache reads and cache writes. */
export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheReadInputTokens + usage.cacheWriteInputTokens;
}

/**
 * One row per model call: the source of truth for what this deployment consumed. In the same
 * transaction, the call is added to today's budget counters of the deployment and of its user, so
 * budgets see every call (answers, question and free-text translations) the moment it is recorded.
 */
export class UsageLedger {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: LedgerOptions = {},
  ) {}

  async record(entry: LedgerEntry): Promise<void> {
    const now = this.options.now?.() ?? new Date();
    const createdAt = now.toISOString();
    const period = budgetPeriod(now, this.options.resetHourUtc ?? 0).key;
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('usage')
        .values({
          created_at: createdAt,
          conversation_id: entry.conversationId,
          message_id: entry.messageId,
          user_id: entry.userId,
          purpose: entry.purpose,
          lane: entry.lane,
          provider: entry.provider,
          model_id: entry.modelId,
          input_tokens: entry.usage.inputTokens,
          output_tokens: entry.usage.outputTokens,
          cache_read_input_tokens: entry.usage.cacheReadInputTokens,
          cache_write_input_tokens: entry.usage.cacheWriteInputTokens,
          latency_ms: Math.round(entry.latencyMs),
          status: entry.status,
          cost_usd: entry.costUsd,
          estimated: entry.estimated ? 1 : 0,
        })
        .execute();
      // A call without a known price adds 0 to the cost counters (the token budget still sees it).
      await addToCounters(
        trx,
        [DEPLOYMENT_SCOPE, userScope(entry.userId)],
        period,
        { tokens: totalTokens(entry.usage), costUsd: entry.costUsd ?? 0 },
        createdAt,
      );
    });
    this.options.emf?.write(entry);
  }
}
