import type { ConversationDetail, ConversationUsage, TokenUsage, UsageReport, UsageWindow } from '../../../src/contract/index';
import { getJson } from '../api/client';

export { USAGE_WINDOWS } from '../../../src/contract/codes';
export type { ConversationUsage, LedgerModelRow, LimitView, ScopeView, UsageReport, UsageWindow } from '../../../src/contract/index';

export const usageApi = {
  report: (window: UsageWindow, signal?: AbortSignal) => getJson<UsageReport>(`/api/usage?window=${window}`, signal),
  /** The `usage` totals of GET /api/conversations/:id (null when the server has none). */
  conversation: async (id: string, signal?: AbortSignal): Promise<ConversationUsage | null> =>
    (await getJson<ConversationDetail>(`/api/conversations/${encodeURIComponent(id)}`, signal)).usage ?? null,
};

export const totalTokens = (t: TokenUsage): number => t.inputTokens + t.outputTokens + t.cacheReadInputTokens + t.cacheWriteInputTokens;
