/** GET /api/usage and the conversation totals (docs/api.md, "Usage"). Kept apart from api/client.ts. */
import { ApiError, isAbortError } from '../api/client';

export type UsageWindow = '1h' | '24h' | '7d';
export const USAGE_WINDOWS: readonly UsageWindow[] = ['1h', '24h', '7d'];

export interface Tokens {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export interface LedgerSums extends Tokens {
  calls: number;
  totalTokens: number;
  costUsd: number | null;
  unpricedCalls: number;
  estimatedCalls: number;
  failedCalls: number;
  cacheReadShare: number | null;
}

export interface LedgerModelRow extends LedgerSums {
  modelId: string;
  provider: string;
  avgLatencyMs: number | null;
}

export interface LedgerPurposeRow extends LedgerSums {
  purpose: string;
}

export interface CloudWatchModelRow extends Tokens {
  modelId: string;
  configuredModelId: string;
  invocations: number;
  latencyAvgMs: number | null;
  latencyP90Ms: number | null;
  throttles: number;
  clientErrors: number;
  serverErrors: number;
  estimatedCostUsd: number | null;
}

export type SourceState = 'ok' | 'pending' | 'denied' | 'unconfigured' | 'throttled' | 'unreachable' | 'error' | 'restricted';

export interface ReconciliationRow {
  modelId: string;
  cloudwatchModelIds: string[];
  ledger: Tokens & { invocations: number; estimatedCalls: number; failedCalls: number };
  cloudwatch: (Tokens & { invocations: number }) | null;
  difference: (Tokens & { invocations: number }) | null;
  status: 'match' | 'cloudwatch-higher' | 'cloudwatch-lower' | 'mixed' | 'no-calls' | 'unavailable';
  note: string;
}

export interface AlarmItem {
  name: string;
  state: string;
  reason: string;
  updatedAt: string | null;
  description: string | null;
  threshold: number | null;
}

export interface LimitView {
  limit: number | null;
  used: number;
  reserved: number;
  percent: number | null;
}

export type BudgetState = 'unlimited' | 'ok' | 'warning' | 'degraded' | 'exhausted';

export interface ScopeView {
  scope: 'deployment' | 'user';
  tokens: LimitView;
  costUsd: LimitView;
  calls: number;
  state: BudgetState;
}

export interface UsageReport {
  window: UsageWindow;
  generatedAt: string;
  scope: 'deployment' | 'user';
  prices: { version: string; source: string; region: string; overridden: boolean };
  ledger: {
    from: string;
    to: string;
    byModel: LedgerModelRow[];
    byPurpose: LedgerPurposeRow[];
    totals: LedgerSums;
    costUsd: number | null;
    cacheReadShare: number | null;
  };
  cloudwatch: {
    state: SourceState;
    reason?: string;
    region: string;
    fetchedAt?: string;
    ageSeconds?: number | null;
    stale?: boolean;
    refreshing?: boolean;
    byModel: CloudWatchModelRow[];
  };
  reconciliation: ReconciliationRow[];
  alarms: { state: SourceState; reason?: string; prefix?: string; items: AlarmItem[] };
  budgets: {
    enabled: boolean;
    resetHourUtc: number;
    period: { start: string; end: string };
    warnPercent: number;
    gracePercent: number;
    deployment: ScopeView;
    user: ScopeView;
  };
  warnings: Array<{ code: string; message: string; modelId?: string }>;
}

export interface ConversationUsage extends Tokens {
  calls: number;
  costUsd: number | null;
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError('unavailable', null);
  }
  if (!response.ok) {
    let code = response.status === 403 ? 'forbidden' : 'internal_error';
    try {
      const body = (await response.json()) as { error?: { code?: string } };
      if (typeof body.error?.code === 'string') code = body.error.code;
    } catch {
      // not JSON
    }
    throw new ApiError(code, response.status);
  }
  return (await response.json()) as T;
}

export const usageApi = {
  report: (window: UsageWindow, signal?: AbortSignal) => getJson<UsageReport>(`/api/usage?window=${window}`, signal),
  /** The `usage` totals of GET /api/conversations/:id (null when the server has none). */
  conversation: async (id: string, signal?: AbortSignal): Promise<ConversationUsage | null> =>
    (await getJson<{ usage?: ConversationUsage }>(`/api/conversations/${encodeURIComponent(id)}`, signal)).usage ?? null,
};

export const totalTokens = (t: Tokens): number => t.inputTokens + t.outputTokens + t.cacheReadInputTokens + t.cacheWriteInputTokens;
