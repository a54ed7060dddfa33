/**
 * The usage alarms `dualnova alarms apply` creates or updates under ALARM_NAME_PREFIX (the same
 * names and metrics as the CDK stack's usage alarms, infra/lib/alarms/): per configured model,
 * input + output tokens per hour (metric math), throttles and server errors per 5 minutes; and the
 * estimated cost per day of all configured models (metric math with the price table). Counts treat
 * missing data as fine: no traffic is not an incident. All account-wide (AWS/Bedrock metrics).
 */
import {
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  type CloudWatchClient,
  type MetricDataQuery,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { BEDROCK_NAMESPACE, listAlarms } from './cloudwatch-reader.js';
import type { PriceBook } from './prices.js';

export interface AlarmThresholds {
  tokensPerHour: number;
  throttlesPer5Min: number;
  serverErrorsPer5Min: number;
  /** Absent: no cost alarm. */
  costPerDayUsd?: number | undefined;
}

/** Name keys of the per-model alarms (`<prefix>-<key><model id>`). */
const KEYS = ['tokens-', 'throttles-', 'server-errors-'];

export const DEFAULT_THROTTLES_PER_5_MIN = 10;
export const DEFAULT_SERVER_ERRORS_PER_5_MIN = 5;

export interface AlarmPlanInput {
  prefix: string;
  modelIds: string[];
  prices: PriceBook;
  thresholds: AlarmThresholds;
  snsTopicArn?: string | undefined;
}

export interface AlarmPlan {
  alarms: PutMetricAlarmCommandInput[];
  /** Why an alarm was left out (no cost threshold, unpriced models). */
  notes: string[];
}

/** `dualnova-` + `tokens-x` → `dualnova-tokens-x`; `dualnova-prod-usage` + `tokens-x` → `dualnova-prod-usage-tokens-x`. */
export function alarmName(prefix: string, key: string): string {
  return /[-_.]$/.test(prefix) ? `${prefix}${key}` : `${prefix}-${key}`;
}

function metric(id: string, metricName: string, modelId: string, period: number): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: { Namespace: BEDROCK_NAMESPACE, MetricName: metricName, Dimensions: [{ Name: 'ModelId', Value: modelId }] },
      Period: period,
      Stat: 'Sum',
    },
    ReturnData: false,
  };
}

/** Metric math has no exponent notation: prices are written as plain decimals. */
function decimal(value: number): string {
  return value.toFixed(9).replace(/0+$/, '').replace(/\.$/, '');
}

export function planAlarms({ prefix, modelIds, prices, thresholds, snsTopicArn }: AlarmPlanInput): AlarmPlan {
  const ids = [...new Set(modelIds)];
  const actions = snsTopicArn ? { AlarmActions: [snsTopicArn], OKActions: [snsTopicArn] } : {};
  const common = {
    ComparisonOperator: 'GreaterThanOrEqualToThreshold' as const,
    TreatMissingData: 'notBreaching',
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    ActionsEnabled: true,
    ...actions,
  };
  const alarms: PutMetricAlarmCommandInput[] = [];
  const notes: string[] = [];
  for (const modelId of ids) {
    alarms.push({
      ...common,
      AlarmName: alarmName(prefix, `tokens-${modelId}`),
      AlarmDescription: `Bedrock ${modelId}: input + output tokens in the last hour (whole account) at or above ${thresholds.tokensPerHour}. Managed by dualnova alarms apply.`,
      Threshold: thresholds.tokensPerHour,
      Metrics: [
        metric('tin', 'InputTokenCount', modelId, 3600),
        metric('tout', 'OutputTokenCount', modelId, 3600),
        { Id: 'tokens', Expression: 'FILL(tin, 0) + FILL(tout, 0)', Label: `tokens per hour ${modelId}`, ReturnData: true },
      ],
    });
    alarms.push({
      ...common,
      AlarmName: alarmName(prefix, `throttles-${modelId}`),
      AlarmDescription: `Bedrock ${modelId} throttled ${thresholds.throttlesPer5Min}+ calls in 5 minutes: raise the quota or spread the load (cross-region profile). Managed by dualnova alarms apply.`,
      Namespace: BEDROCK_NAMESPACE,
      MetricName: 'InvocationThrottles',
      Dimensions: [{ Name: 'ModelId', Value: modelId }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: thresholds.throttlesPer5Min,
    });
    alarms.push({
      ...common,
      AlarmName: alarmName(prefix, `server-errors-${modelId}`),
      AlarmDescription: `Bedrock ${modelId} returned ${thresholds.serverErrorsPer5Min}+ server errors in 5 minutes. Managed by dualnova alarms apply.`,
      Namespace: BEDROCK_NAMESPACE,
      MetricName: 'InvocationServerErrors',
      Dimensions: [{ Name: 'ModelId', Value: modelId }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: thresholds.serverErrorsPer5Min,
    });
  }

  if (thresholds.costPerDayUsd === undefined) {
    notes.push('no cost alarm: give --cost-per-day USD, or set ALARM_COST_PER_DAY_USD or DAILY_COST_BUDGET_USD');
  } else {
    const metrics: MetricDataQuery[] = [];
    const terms: string[] = [];
    const unpriced: string[] = [];
    ids.forEach((modelId, index) => {
      const price = prices.price(modelId);
      if (!price) {
        unpriced.push(modelId);
        return;
      }
      const parts: Array<[string, string, number]> = [
        [`in${index}`, 'InputTokenCount', price.input],
        [`out${index}`, 'OutputTokenCount', price.output],
        [`cr${index}`, 'CacheReadInputTokenCount', price.cacheRead],
        [`cw${index}`, 'CacheWriteInputTokenCount', price.cacheWrite],
      ];
      for (const [id, metricName, perThousand] of parts) {
        metrics.push(metric(id, metricName, modelId, 86_400));
        terms.push(`FILL(${id}, 0) * ${decimal(perThousand * 1000)}`);
      }
    });
    if (unpriced.length > 0)
      notes.push(`the cost alarm leaves out ${unpriced.join(', ')}: no price in table ${prices.table.version} (add it with PRICES_FILE)`);
    if (terms.length > 0) {
      alarms.push({
        ...common,
        AlarmName: alarmName(prefix, 'cost-per-day'),
        AlarmDescription: `Estimated Bedrock cost of ${ids.filter((id) => !unpriced.includes(id)).join(', ')} over 24 hours (whole account) at or above ${thresholds.costPerDayUsd} USD; prices ${prices.table.source}. Managed by dualnova alarms apply.`,
        Threshold: thresholds.costPerDayUsd,
        Metrics: [
          ...metrics,
          { Id: 'cost', Expression: `(${terms.join(' + ')}) / 1000000`, Label: 'estimated Bedrock cost (USD)', ReturnData: true },
        ],
      });
    }
  }
  return { alarms, notes };
}

export interface ApplyResult {
  created: string[];
  updated: string[];
  deleted: string[];
  notes: string[];
}

/**
 * PutMetricAlarm for every planned alarm (create or update: same call), then, with `prune`, deletes
 * the usage alarms under the prefix that the plan no longer has (a model that was replaced).
 */
export async function applyAlarms(
  client: CloudWatchClient,
  plan: AlarmPlan,
  options: { prefix: string; prune?: boolean },
): Promise<ApplyResult> {
  const existing = new Set((await listAlarms(client, options.prefix)).map((a) => a.name));
  const created: string[] = [];
  const updated: string[] = [];
  for (const alarm of plan.alarms) {
    await client.send(new PutMetricAlarmCommand(alarm));
    (existing.has(alarm.AlarmName ?? '') ? updated : created).push(alarm.AlarmName ?? '');
  }
  const planned = new Set(plan.alarms.map((a) => a.AlarmName));
  // Only alarms this command would have made: another stack's alarms under a shared prefix
  // (`dualnova-` also matches `dualnova-prod-service-…`) are never touched.
  const ours = (name: string) =>
    KEYS.some((key) => name.startsWith(alarmName(options.prefix, key))) || name === alarmName(options.prefix, 'cost-per-day');
  const stale = options.prune ? [...existing].filter((name) => !planned.has(name) && ours(name)) : [];
  // DeleteAlarms takes at most 100 names per call.
  for (let i = 0; i < stale.length; i += 100) await client.send(new DeleteAlarmsCommand({ AlarmNames: stale.slice(i, i + 100) }));
  return { created, updated, deleted: stale, notes: plan.notes };
}
