import { z } from 'zod';
import { USAGE_WINDOWS } from './codes.js';
import { costSchema, tokenUsageSchema } from './common.js';

export const usageWindowSchema = z.enum(USAGE_WINDOWS);

export const usageQuerySchema = z
  .object({
    window: usageWindowSchema.default('24h'),
    /** Admins: `deployment` (default) or `me`; agents always see their own calls. */
    scope: z.enum(['deployment', 'me']).optional(),
  })
  .strict();

export const ledgerSumsSchema = tokenUsageSchema.extend({
  calls: z.number(),
  totalTokens: z.number(),
  /** Sum over calls with a known price; null when no call was priced but some ran. */
  costUsd: costSchema,
  unpricedCalls: z.number(),
  /** Calls whose tokens were estimated (cancelled before the provider reported usage). */
  estimatedCalls: z.number(),
  failedCalls: z.number(),
  /** Cache-read tokens / all prompt tokens; null without prompt tokens. */
  cacheReadShare: z.number().nullable(),
});
export type LedgerSums = z.infer<typeof ledgerSumsSchema>;

export const ledgerModelRowSchema = ledgerSumsSchema.extend({
  modelId: z.string(),
  provider: z.string(),
  avgLatencyMs: z.number().nullable(),
});
export type LedgerModelRow = z.infer<typeof ledgerModelRowSchema>;
export const ledgerPurposeRowSchema = ledgerSumsSchema.extend({ purpose: z.string() });

export const ledgerSummarySchema = z.object({
  from: z.string(),
  to: z.string(),
  byModel: z.array(ledgerModelRowSchema),
  byPurpose: z.array(ledgerPurposeRowSchema),
  totals: ledgerSumsSchema,
});
export type LedgerSummary = z.infer<typeof ledgerSummarySchema>;

export const SOURCE_STATES = ['ok', 'pending', 'denied', 'unconfigured', 'throttled', 'unreachable', 'error'] as const;
export const sourceStateSchema = z.enum(SOURCE_STATES);
export type SourceState = z.infer<typeof sourceStateSchema>;
/** A source state, or `restricted`: account-wide figures are for admins only. */
export const viewStateSchema = z.enum([...SOURCE_STATES, 'restricted']);

export const cloudWatchModelRowSchema = tokenUsageSchema.extend({
  /** The ModelId dimension value (what was invoked). */
  modelId: z.string(),
  /** The configured model it counts for (same base model). */
  configuredModelId: z.string(),
  invocations: z.number(),
  latencyAvgMs: z.number().nullable(),
  latencyP90Ms: z.number().nullable(),
  throttles: z.number(),
  clientErrors: z.number(),
  serverErrors: z.number(),
  /** Tokens × the price table: an estimate of the whole account's spend on this id. */
  estimatedCostUsd: costSchema,
});
export type CloudWatchModelRow = z.infer<typeof cloudWatchModelRowSchema>;

export const discoveryStateSchema = z.object({
  state: sourceStateSchema,
  reason: z.string().optional(),
  pages: z.number(),
  modelIds: z.array(z.string()),
  fetchedAt: z.string().optional(),
});
export type DiscoveryState = z.infer<typeof discoveryStateSchema>;

const reconciledFiguresSchema = z.object({
  invocations: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadInputTokens: z.number(),
  cacheWriteInputTokens: z.number(),
});
export type ReconciledFigures = z.infer<typeof reconciledFiguresSchema>;

export const reconciliationRowSchema = z.object({
  /** The configured model id. */
  modelId: z.string(),
  /** The CloudWatch ModelId values counted for it. */
  cloudwatchModelIds: z.array(z.string()),
  ledger: reconciledFiguresSchema.extend({ estimatedCalls: z.number(), failedCalls: z.number() }),
  cloudwatch: reconciledFiguresSchema.nullable(),
  /** cloudwatch − ledger; null without CloudWatch figures. */
  difference: reconciledFiguresSchema.nullable(),
  status: z.enum(['match', 'cloudwatch-higher', 'cloudwatch-lower', 'mixed', 'no-calls', 'unavailable']),
  note: z.string(),
});
export type ReconciliationRow = z.infer<typeof reconciliationRowSchema>;

export const alarmItemSchema = z.object({
  name: z.string(),
  state: z.string(),
  reason: z.string(),
  updatedAt: z.string().nullable(),
  description: z.string().nullable(),
  threshold: z.number().nullable(),
  comparison: z.string().nullable(),
  actionsEnabled: z.boolean(),
});
export type AlarmItem = z.infer<typeof alarmItemSchema>;

export const alarmsViewSchema = z.object({
  state: viewStateSchema,
  reason: z.string().optional(),
  prefix: z.string().optional(),
  checkedAt: z.string().optional(),
  items: z.array(alarmItemSchema),
});

export const amountSchema = z.object({ tokens: z.number(), costUsd: z.number() });
export type Amount = z.infer<typeof amountSchema>;

export const limitViewSchema = z.object({
  limit: z.number().nullable(),
  used: z.number(),
  reserved: z.number(),
  /** (used + reserved) / limit × 100, one decimal; null without a limit. */
  percent: z.number().nullable(),
});
export type LimitView = z.infer<typeof limitViewSchema>;

export const budgetStateSchema = z.enum(['unlimited', 'ok', 'warning', 'degraded', 'exhausted']);
export type BudgetState = z.infer<typeof budgetStateSchema>;

export const scopeViewSchema = z.object({
  scope: z.enum(['deployment', 'user']),
  tokens: limitViewSchema,
  costUsd: limitViewSchema,
  calls: z.number(),
  state: budgetStateSchema,
});
export type ScopeView = z.infer<typeof scopeViewSchema>;

export const budgetsViewSchema = z.object({
  enabled: z.boolean(),
  resetHourUtc: z.number(),
  period: z.object({ start: z.string(), end: z.string() }),
  warnPercent: z.number(),
  gracePercent: z.number(),
  deployment: scopeViewSchema,
  user: scopeViewSchema,
  /** What one full answer reserves (an upper bound), to size budgets by. */
  answerEstimate: amountSchema.optional(),
});
export type BudgetsView = z.infer<typeof budgetsViewSchema>;

export const usageWarningSchema = z.object({
  code: z.enum(['unpriced_model', 'estimated_usage', 'cloudwatch_truncated']),
  message: z.string(),
  modelId: z.string().optional(),
});
export type UsageWarning = z.infer<typeof usageWarningSchema>;

export const usageReportSchema = z.object({
  window: usageWindowSchema,
  generatedAt: z.string(),
  /** Whose ledger: the whole deployment, or the caller's own calls. */
  scope: z.enum(['deployment', 'user']),
  prices: z.object({ version: z.string(), source: z.string(), region: z.string(), overridden: z.boolean() }),
  ledger: ledgerSummarySchema.extend({ costUsd: costSchema, cacheReadShare: z.number().nullable() }),
  cloudwatch: z.object({
    state: viewStateSchema,
    reason: z.string().optional(),
    region: z.string(),
    fetchedAt: z.string().optional(),
    ageSeconds: z.number().nullable().optional(),
    stale: z.boolean().optional(),
    refreshing: z.boolean().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    byModel: z.array(cloudWatchModelRowSchema),
    otherModelIds: z.array(z.string()).optional(),
    discovery: discoveryStateSchema.nullable().optional(),
    truncated: z.string().optional(),
  }),
  reconciliation: z.array(reconciliationRowSchema),
  alarms: alarmsViewSchema,
  budgets: budgetsViewSchema,
  warnings: z.array(usageWarningSchema),
});
export type UsageReport = z.infer<typeof usageReportSchema>;
