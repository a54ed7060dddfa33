import { z } from 'zod';

/**
 * Settings of token accounting (src/usage): prices, the CloudWatch reader's cache, the Embedded
 * Metric Format output, daily budgets and the CLI-managed alarms. Spread into the one settings
 * schema by schema.ts, like security-settings.ts.
 */

export interface BudgetLimits {
  /** Tokens per budget day (input + output + cache-read + cache-write). */
  tokens: number | undefined;
  costUsd: number | undefined;
}

export interface UsageSettings {
  /** JSON file overriding or extending the built-in price table (see src/usage/prices.ts). */
  pricesFile: string | undefined;
  /** How long CloudWatch figures are served from the cache before a background refresh. */
  cacheSeconds: number;
  metrics: {
    /** Namespace of the Embedded Metric Format lines (the CDK dashboard reads `Dualnova`). */
    namespace: string;
    /** Write one EMF line per ledger row on stdout. */
    emf: boolean;
  };
  budgets: {
    deployment: BudgetLimits;
    user: BudgetLimits;
    /** The UTC hour at which every budget day starts. */
    resetHourUtc: number;
    /** A `budget_warning` is sent once this share of a budget is used or reserved. */
    warnPercent: number;
    /** Overview-only answers are still given up to this much beyond a budget; then 429. */
    gracePercent: number;
  };
  alarms: {
    snsTopicArn: string | undefined;
    tokensPerHour: number;
    costPerDayUsd: number | undefined;
  };
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const flag = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' }))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
const optionalTokens = optionalText.pipe(
  z.coerce
    .number<string>({ message: 'must be a whole number of tokens' })
    .int('must be a whole number of tokens')
    .positive('must be above 0')
    .optional(),
);
const optionalUsd = optionalText.pipe(
  z.coerce.number<string>({ message: 'must be an amount in USD, e.g. 25 or 12.5' }).positive('must be above 0').finite().optional(),
);

// CloudWatch namespaces: 1-255 of these characters, and never the reserved AWS/ prefix.
const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9.\-_/#:]{1,255}$/;
const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

export const usageSettingsShape = {
  PRICES_FILE: optionalText,
  USAGE_CACHE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  METRICS_NAMESPACE: z
    .string()
    .trim()
    .regex(NAMESPACE, 'must be a CloudWatch namespace (letters, digits, . - _ / # :), not starting with AWS/')
    .default('Dualnova'),
  METRICS_EMF: flag.default(true),
  DAILY_TOKEN_BUDGET: optionalTokens,
  DAILY_COST_BUDGET_USD: optionalUsd,
  USER_DAILY_TOKEN_BUDGET: optionalTokens,
  USER_DAILY_COST_BUDGET_USD: optionalUsd,
  BUDGET_RESET_HOUR_UTC: z.coerce.number().int().min(0).max(23).default(0),
  BUDGET_WARN_PERCENT: z.coerce.number().int().min(1).max(99).default(80),
  BUDGET_GRACE_PERCENT: z.coerce.number().int().min(0).max(100).default(10),
  ALARM_SNS_TOPIC_ARN: optionalText.pipe(
    z.string().regex(SNS_TOPIC_ARN, 'must be an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)').optional(),
  ),
  ALARM_TOKENS_PER_HOUR: z.coerce.number().int().positive().default(1_000_000),
  ALARM_COST_PER_DAY_USD: optionalUsd,
};

export type ParsedUsageSettings = z.output<z.ZodObject<typeof usageSettingsShape>>;

export function toUsageSettings(s: ParsedUsageSettings): UsageSettings {
  return {
    pricesFile: s.PRICES_FILE,
    cacheSeconds: s.USAGE_CACHE_SECONDS,
    metrics: { namespace: s.METRICS_NAMESPACE, emf: s.METRICS_EMF },
    budgets: {
      deployment: { tokens: s.DAILY_TOKEN_BUDGET, costUsd: s.DAILY_COST_BUDGET_USD },
      user: { tokens: s.USER_DAILY_TOKEN_BUDGET, costUsd: s.USER_DAILY_COST_BUDGET_USD },
      resetHourUtc: s.BUDGET_RESET_HOUR_UTC,
      warnPercent: s.BUDGET_WARN_PERCENT,
      gracePercent: s.BUDGET_GRACE_PERCENT,
    },
    alarms: {
      snsTopicArn: s.ALARM_SNS_TOPIC_ARN,
      tokensPerHour: s.ALARM_TOKENS_PER_HOUR,
      // The cost alarm defaults to the deployment's daily cost budget, when there is one.
      costPerDayUsd: s.ALARM_COST_PER_DAY_USD ?? s.DAILY_COST_BUDGET_USD,
    },
  };
}
