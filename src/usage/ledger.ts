import type { Kysely } from 'kysely';
import type { CallPurpose, TokenUsage } from '../models/types.js';
import type { Database } from '../store/schema.js';

export interface LedgerEntry {
  conversationId: string | null;
  messageId: string | null;
  userId: string | null;
  purpose: CallPurpose;
  lane: string | null;
  provider: string;
  modelId: string;
  usage: TokenUsage;
  latencyMs: number;
  status: string;
  costUsd: number | null;
  /** True when the provider reported nothing and the tokens were estimated. */
  estimated: boolean;
}

/** One row per model call: the source of truth for what this deployment consumed. */
export class UsageLedger {
  constructor(private readonly db: Kysely<Database>) {}

  async record(entry: LedgerEntry): Promise<void> {
    await this.db
      .insertInto('usage')
      .values({
        created_at: new Date().toISOString(),
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
        latency_ms: entry.latencyMs,
        status: entry.status,
        cost_usd: entry.costUsd,
        estimated: entry.estimated ? 1 : 0,
      })
      .execute();
  }
}
