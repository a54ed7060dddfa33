import type { CallPurpose, TokenUsage } from '../models/types.js';

/** One model call as the usage ledger records it (and the EMF line reports it). */
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
