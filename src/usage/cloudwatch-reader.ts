/**
 * The account's own view of Bedrock usage: the AWS/Bedrock CloudWatch metrics of the configured
 * models, and the states of the app's alarms — read in the background, cached, never on a chat
 * request or a page render (GET /api/usage serves the cache and, when it is older than
 * USAGE_CACHE_SECONDS, starts a refresh it does not wait for).
 *
 * One refresh = (every 15 min) ListMetrics paged with NextToken to discover the ModelId values
 * present — inference-profile ids such as `us.amazon.nova-pro-v1:0` differ from base ids — then ONE
 * GetMetricData carrying every query: for each model id found, the nine Bedrock metrics (latency as
 * Average and p90) over 1 h, 24 h and 7 d, plus DescribeAlarms under ALARM_NAME_PREFIX. Each
 * window's queries use the window itself as Period over one shared 7-day range ending on the next
 * whole minute, so the newest datapoint of each query is exactly that window's figure (the 1 h
 * queries also give an hourly series for the last 7 days).
 *
 * Without AWS credentials (offline mode) nothing is ever sent.
 */
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  type CloudWatchClient,
  type MetricAlarm,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { describeAwsError, type AwsFailure } from '../errors/aws.js';
import type { Logger } from '../log/logger.js';
import { errorFields } from '../log/logger.js';
import type { PriceBook } from './prices.js';
import { baseModelId, costOf } from './prices.js';
import { USAGE_WINDOWS, WINDOW_SECONDS, type UsageWindow } from './queries.js';
import type { SourceState, CloudWatchModelRow, DiscoveryState, AlarmItem } from '../contract/usage.js';
export type { SourceState, CloudWatchModelRow, DiscoveryState, AlarmItem } from '../contract/usage.js';

export const BEDROCK_NAMESPACE = 'AWS/Bedrock';

/** The Bedrock runtime metrics read per model id; latency is read twice (Average, p90). */
export const SUM_METRICS = {
  invocations: 'Invocations',
  inputTokens: 'InputTokenCount',
  outputTokens: 'OutputTokenCount',
  cacheReadInputTokens: 'CacheReadInputTokenCount',
  cacheWriteInputTokens: 'CacheWriteInputTokenCount',
  throttles: 'InvocationThrottles',
  clientErrors: 'InvocationClientErrors',
  serverErrors: 'InvocationServerErrors',
} as const;
type SumKey = keyof typeof SUM_METRICS;
const LATENCY = 'InvocationLatency';
const WINDOW_KEY: Record<UsageWindow, string> = { '1h': 'h1', '24h': 'h24', '7d': 'd7' };
const SHORT: Record<SumKey | 'latencyAvg' | 'latencyP90', string> = {
  invocations: 'inv',
  inputTokens: 'in',
  outputTokens: 'out',
  cacheReadInputTokens: 'cr',
  cacheWriteInputTokens: 'cw',
  throttles: 'thr',
  clientErrors: 'ce',
  serverErrors: 'se',
  latencyAvg: 'lat',
  latencyP90: 'p90',
};
/** 500 is GetMetricData's limit on queries per request. */
const MAX_QUERIES = 500;
const QUERIES_PER_MODEL = USAGE_WINDOWS.length * (Object.keys(SUM_METRICS).length + 2);
const MAX_LIST_PAGES = 100;
const DISCOVERY_TTL_MS = 15 * 60_000;

export interface CloudWatchWindow {
  from: string;
  to: string;
  byModelId: CloudWatchModelRow[];
}

export interface MetricsSnapshot {
  fetchedAt: string;
  /** The end of every window (the whole minute after fetchedAt). */
  endTime: string;
  windows: Record<UsageWindow, CloudWatchWindow>;
  /** Model ids read (configured ids and the inference-profile variants found). */
  modelIds: string[];
  /** Bedrock model ids present in the account that belong to no configured model (not read). */
  otherModelIds: string[];
  queries: number;
  /** Set when some ids were left out to stay within GetMetricData's 500 queries. */
  truncated?: string;
}

export interface SourceView<T> {
  state: SourceState;
  reason?: string;
  /** When the last attempt ended. */
  checkedAt?: string;
  data: T | null;
}

export interface CloudWatchState {
  metrics: SourceView<MetricsSnapshot>;
  discovery: DiscoveryState | null;
  alarms: SourceView<AlarmItem[]> & { prefix: string };
  refreshing: boolean;
  /** Seconds since the metrics were fetched; null before the first success. */
  ageSeconds: number | null;
  stale: boolean;
}

export interface CloudWatchReaderOptions {
  /** Built on first use only. */
  client: () => CloudWatchClient;
  /** Whether AWS may be called at all, and why not (awsAccess in src/aws/registry.ts). */
  access: { enabled: boolean; reason: string };
  region: string;
  /** The configured model ids (fast, detail, translation). */
  modelIds: string[];
  alarmNamePrefix: string;
  cacheSeconds: number;
  prices: PriceBook;
  logger?: Logger | undefined;
  now?: () => number;
  timeoutMs?: number;
}

export function deniedReason(action: string, feature = 'CloudWatch metrics'): string {
  return `${feature} unavailable: missing ${action} on the task role`;
}

export class CloudWatchUsageReader {
  private metrics: SourceView<MetricsSnapshot> = { state: 'pending', data: null };
  private alarms: SourceView<AlarmItem[]> = { state: 'pending', data: null };
  private discovery: DiscoveryState | null = null;
  private lastAttempt = 0;
  private inFlight: Promise<void> | undefined;
  private readonly now: () => number;
  private readonly stopController = new AbortController();

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? 30_000;
  }

  constructor(private readonly options: CloudWatchReaderOptions) {
    this.now = options.now ?? Date.now;
    if (!options.access.enabled) {
      const why = options.access.reason;
      this.metrics = {
        state: 'unconfigured',
        reason: `CloudWatch metrics unavailable: ${why}; the ledger below is this deployment's own record`,
        data: null,
      };
      this.alarms = { state: 'unconfigured', reason: `CloudWatch alarms unavailable: ${why}`, data: null };
    }
  }

  get enabled(): boolean {
    return this.options.access.enabled;
  }

  /** The cached state; starts a background refresh when it is stale. Never waits, never throws. */
  current(): CloudWatchState {
    this.refreshIfStale();
    return this.view();
  }

  /** Starts a refresh when the cache is older than USAGE_CACHE_SECONDS; returns at once. */
  refreshIfStale(): void {
    if (!this.enabled || this.inFlight || this.stopController.signal.aborted) return;
    if (this.lastAttempt !== 0 && this.now() - this.lastAttempt < this.options.cacheSeconds * 1000) return;
    void this.refresh();
  }

  /** Refreshes now (joins a refresh already running). Resolves when it has finished; never rejects. */
  refresh(): Promise<void> {
    if (!this.enabled || this.stopController.signal.aborted) return Promise.resolve();
    this.inFlight ??= this.doRefresh()
      .catch((error: unknown) => this.options.logger?.error(errorFields(error), 'CloudWatch usage refresh failed'))
      .finally(() => {
        this.lastAttempt = this.now();
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /** Aborts a refresh in flight and refuses new ones (the app is closing). */
  async stop(): Promise<void> {
    this.stopController.abort();
    await this.inFlight;
  }

  private signal(): AbortSignal {
    return AbortSignal.any([AbortSignal.timeout(this.timeoutMs), this.stopController.signal]);
  }

  view(): CloudWatchState {
    const fetchedAt = this.metrics.data ? Date.parse(this.metrics.data.fetchedAt) : null;
    const ageSeconds = fetchedAt === null ? null : Math.max(0, Math.round((this.now() - fetchedAt) / 1000));
    return {
      metrics: this.metrics,
      discovery: this.discovery,
      alarms: { ...this.alarms, prefix: this.options.alarmNamePrefix },
      refreshing: this.inFlight !== undefined,
      ageSeconds,
      stale: this.enabled && (ageSeconds === null || ageSeconds > this.options.cacheSeconds),
    };
  }

  private async doRefresh(): Promise<void> {
    const started = this.now();
    const client = this.options.client();
    const [metrics, alarms] = await Promise.all([this.readMetrics(client), this.readAlarms(client)]);
    if (this.stopController.signal.aborted) return;
    const checkedAt = new Date(this.now()).toISOString();
    this.metrics = metrics.ok
      ? { state: 'ok', checkedAt, data: metrics.snapshot }
      : { state: metrics.failure.state, reason: metrics.failure.reason, checkedAt, data: this.metrics.data };
    this.alarms = alarms.ok
      ? { state: 'ok', checkedAt, data: alarms.items }
      : { state: alarms.failure.state, reason: alarms.failure.reason, checkedAt, data: this.alarms.data };
    this.options.logger?.debug(
      { ms: this.now() - started, metrics: this.metrics.state, alarms: this.alarms.state },
      'CloudWatch usage refreshed',
    );
  }

  // ---- metrics ---------------------------------------------------------------------------------

  private async readMetrics(client: CloudWatchClient): Promise<{ ok: true; snapshot: MetricsSnapshot } | { ok: false; failure: Failure }> {
    await this.discover(client);
    const plan = this.queryPlan();
    // The next whole minute: the last bucket of each window is still filling, but it holds every
    // call up to now (the ledger side of the reconciliation reads the same range).
    const endMs = Math.ceil(this.now() / 60_000) * 60_000;
    const end = new Date(endMs);
    const start = new Date(endMs - WINDOW_SECONDS['7d'] * 1000);
    const results = new Map<string, MetricDataResult>();
    try {
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const out = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: plan.queries,
            StartTime: start,
            EndTime: end,
            ScanBy: 'TimestampDescending',
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal: this.signal() },
        );
        for (const result of out.MetricDataResults ?? []) {
          if (!result.Id) continue;
          const known = results.get(result.Id);
          results.set(
            result.Id,
            known
              ? {
                  ...known,
                  Timestamps: [...(known.Timestamps ?? []), ...(result.Timestamps ?? [])],
                  Values: [...(known.Values ?? []), ...(result.Values ?? [])],
                }
              : result,
          );
        }
        nextToken = out.NextToken;
        pages += 1;
      } while (nextToken && pages < 20);
    } catch (error) {
      return { ok: false, failure: classify(error, 'cloudwatch:GetMetricData', 'CloudWatch metrics', this.timeoutMs, this.options.logger) };
    }
    const windows = Object.fromEntries(
      USAGE_WINDOWS.map((window) => {
        const periodMs = WINDOW_SECONDS[window] * 1000;
        const rows = plan.ids.map(({ modelId, configuredModelId, index }) =>
          this.row(results, index, window, modelId, configuredModelId, endMs - periodMs),
        );
        return [window, { from: new Date(endMs - periodMs).toISOString(), to: end.toISOString(), byModelId: rows }];
      }),
    ) as Record<UsageWindow, CloudWatchWindow>;
    return {
      ok: true,
      snapshot: {
        fetchedAt: new Date(this.now()).toISOString(),
        endTime: end.toISOString(),
        windows,
        modelIds: plan.ids.map((i) => i.modelId),
        otherModelIds: plan.others,
        queries: plan.queries.length,
        ...(plan.truncated ? { truncated: plan.truncated } : {}),
      },
    };
  }

  /** ListMetrics with NextToken paging; at most every 15 minutes (the set of ids changes rarely). */
  private async discover(client: CloudWatchClient): Promise<void> {
    if (
      this.discovery?.fetchedAt &&
      this.now() - Date.parse(this.discovery.fetchedAt) < Math.max(DISCOVERY_TTL_MS, this.options.cacheSeconds * 1000)
    )
      return;
    const ids = new Set<string>();
    let pages = 0;
    let nextToken: string | undefined;
    try {
      do {
        const out = await client.send(
          new ListMetricsCommand({
            Namespace: BEDROCK_NAMESPACE,
            MetricName: SUM_METRICS.invocations,
            Dimensions: [{ Name: 'ModelId' }],
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
          { abortSignal: this.signal() },
        );
        pages += 1;
        for (const metric of out.Metrics ?? []) {
          const value = metric.Dimensions?.find((d) => d.Name === 'ModelId')?.Value;
          if (value) ids.add(value);
        }
        nextToken = out.NextToken;
      } while (nextToken && pages < MAX_LIST_PAGES);
      this.discovery = { state: 'ok', pages, modelIds: [...ids].sort(), fetchedAt: new Date(this.now()).toISOString() };
    } catch (error) {
      const failure = classify(error, 'cloudwatch:ListMetrics', 'Model id discovery', this.timeoutMs, this.options.logger);
      // Without discovery the configured ids are still read; variants under other ids are missed.
      this.discovery = {
        state: failure.state,
        reason: `${failure.reason}; only the configured model ids are read, so calls through other inference-profile ids are not counted`,
        pages,
        modelIds: [],
        fetchedAt: new Date(this.now()).toISOString(),
      };
    }
  }

  private queryPlan(): {
    ids: Array<{ modelId: string; configuredModelId: string; index: number }>;
    others: string[];
    queries: MetricDataQuery[];
    truncated?: string;
  } {
    const configured = [...new Set(this.options.modelIds)];
    const discovered = this.discovery?.modelIds ?? [];
    const pairs: Array<{ modelId: string; configuredModelId: string }> = [];
    const seen = new Set<string>();
    for (const configuredModelId of configured) {
      const base = baseModelId(configuredModelId);
      for (const modelId of [configuredModelId, ...discovered.filter((id) => baseModelId(id) === base)]) {
        if (seen.has(modelId)) continue;
        seen.add(modelId);
        pairs.push({ modelId, configuredModelId });
      }
    }
    const others = discovered.filter((id) => !seen.has(id));
    const fits = Math.floor(MAX_QUERIES / QUERIES_PER_MODEL);
    const kept = pairs.slice(0, fits);
    const ids = kept.map((pair, index) => ({ ...pair, index }));
    const queries = ids.flatMap(({ modelId, index }) => queriesFor(modelId, index));
    return {
      ids,
      others,
      queries,
      ...(pairs.length > fits
        ? {
            truncated: `${pairs.length - fits} model ids left out (GetMetricData takes at most ${MAX_QUERIES} queries): ${pairs
              .slice(fits)
              .map((p) => p.modelId)
              .join(', ')}`,
          }
        : {}),
    };
  }

  private row(
    results: Map<string, MetricDataResult>,
    index: number,
    window: UsageWindow,
    modelId: string,
    configuredModelId: string,
    windowStartMs: number,
  ): CloudWatchModelRow {
    const value = (key: keyof typeof SHORT): number | null => newestValue(results.get(queryId(index, window, key)), windowStartMs);
    const sum = (key: SumKey) => value(key) ?? 0;
    const usage = {
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cacheReadInputTokens: sum('cacheReadInputTokens'),
      cacheWriteInputTokens: sum('cacheWriteInputTokens'),
    };
    const price = this.options.prices.price(modelId);
    const latencyAvg = value('latencyAvg');
    const latencyP90 = value('latencyP90');
    return {
      modelId,
      configuredModelId,
      invocations: sum('invocations'),
      ...usage,
      latencyAvgMs: latencyAvg === null ? null : Math.round(latencyAvg),
      latencyP90Ms: latencyP90 === null ? null : Math.round(latencyP90),
      throttles: sum('throttles'),
      clientErrors: sum('clientErrors'),
      serverErrors: sum('serverErrors'),
      estimatedCostUsd: price ? costOf(price, usage) : null,
    };
  }

  // ---- alarms ----------------------------------------------------------------------------------

  private async readAlarms(client: CloudWatchClient): Promise<{ ok: true; items: AlarmItem[] } | { ok: false; failure: Failure }> {
    try {
      return { ok: true, items: await listAlarms(client, this.options.alarmNamePrefix, this.signal()) };
    } catch (error) {
      return { ok: false, failure: classify(error, 'cloudwatch:DescribeAlarms', 'CloudWatch alarms', this.timeoutMs, this.options.logger) };
    }
  }
}

/** Every metric alarm under a name prefix, with NextToken paging. */
export async function listAlarms(
  client: CloudWatchClient,
  prefix: string,
  signal: AbortSignal = AbortSignal.timeout(30_000),
): Promise<AlarmItem[]> {
  const items: AlarmItem[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const out = await client.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: prefix,
        AlarmTypes: ['MetricAlarm'],
        MaxRecords: 100,
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
      {
        abortSignal: signal,
      },
    );
    items.push(...(out.MetricAlarms ?? []).map(toAlarmItem));
    nextToken = out.NextToken;
    pages += 1;
  } while (nextToken && pages < 50);
  return items.sort((a, b) => a.name.localeCompare(b.name));
}

function toAlarmItem(alarm: MetricAlarm): AlarmItem {
  return {
    name: alarm.AlarmName ?? '(unnamed)',
    state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
    reason: alarm.StateReason ?? '',
    updatedAt: alarm.StateUpdatedTimestamp ? new Date(alarm.StateUpdatedTimestamp).toISOString() : null,
    description: alarm.AlarmDescription ?? null,
    threshold: alarm.Threshold ?? null,
    comparison: alarm.ComparisonOperator ?? null,
    actionsEnabled: alarm.ActionsEnabled ?? true,
  };
}

// ---- helpers -----------------------------------------------------------------------------------

interface Failure {
  state: SourceState;
  reason: string;
  failure: AwsFailure;
}

function classify(error: unknown, action: string, feature: string, timeoutMs: number, logger?: Logger): Failure {
  // The reason names the real deadline, never a placeholder.
  const failure = describeAwsError(error, { timedOut: error instanceof Error && error.name === 'TimeoutError', timeoutMs });
  logger?.warn({ action, kind: failure.kind, error: failure.summary }, `${feature}: ${action} failed`);
  switch (failure.kind) {
    case 'denied':
      return {
        state: 'denied',
        reason:
          deniedReason(failure.deniedAction ?? action, feature) +
          (failure.explicitDeny ? ' (an explicit Deny: an Allow statement will not help)' : ''),
        failure,
      };
    case 'credentials':
      return { state: 'denied', reason: `${feature} unavailable: AWS rejected the credentials (${failure.name})`, failure };
    case 'no-credentials':
      return { state: 'unconfigured', reason: `${feature} unavailable: no AWS credentials could be loaded`, failure };
    case 'throttled':
      return {
        state: 'throttled',
        reason: `${feature} unavailable for now: CloudWatch throttled ${action.replace('cloudwatch:', '')} (retried with backoff); the next refresh tries again`,
        failure,
      };
    case 'unreachable':
    case 'timeout':
      return { state: 'unreachable', reason: `${feature} unavailable: CloudWatch cannot be reached (${failure.summary})`, failure };
    default:
      return { state: 'error', reason: `${feature} unavailable: ${failure.summary}`, failure };
  }
}

function queryId(index: number, window: UsageWindow, key: keyof typeof SHORT): string {
  return `m${index}_${WINDOW_KEY[window]}_${SHORT[key]}`;
}

function queriesFor(modelId: string, index: number): MetricDataQuery[] {
  const metric = (metricName: string) => ({
    Namespace: BEDROCK_NAMESPACE,
    MetricName: metricName,
    Dimensions: [{ Name: 'ModelId', Value: modelId }],
  });
  return USAGE_WINDOWS.flatMap((window) => {
    const Period = WINDOW_SECONDS[window];
    return [
      ...(Object.entries(SUM_METRICS) as Array<[SumKey, string]>).map(([key, name]) => ({
        Id: queryId(index, window, key),
        Label: `${modelId} ${name} ${window}`,
        MetricStat: { Metric: metric(name), Period, Stat: 'Sum' },
        ReturnData: true,
      })),
      {
        Id: queryId(index, window, 'latencyAvg'),
        Label: `${modelId} ${LATENCY} avg ${window}`,
        MetricStat: { Metric: metric(LATENCY), Period, Stat: 'Average' },
        ReturnData: true,
      },
      {
        Id: queryId(index, window, 'latencyP90'),
        Label: `${modelId} ${LATENCY} p90 ${window}`,
        MetricStat: { Metric: metric(LATENCY), Period, Stat: 'p90' },
        ReturnData: true,
      },
    ];
  });
}

/** The datapoint of the window: the newest one that starts at (or, with slack, after) the window's start. */
function newestValue(result: MetricDataResult | undefined, windowStartMs: number): number | null {
  if (!result?.Timestamps || !result.Values) return null;
  let best: { at: number; value: number } | null = null;
  result.Timestamps.forEach((timestamp, i) => {
    const at = new Date(timestamp).getTime();
    const value = result.Values?.[i];
    if (value === undefined || at < windowStartMs - 60_000) return;
    if (!best || at > best.at) best = { at, value };
  });
  return (best as { at: number; value: number } | null)?.value ?? null;
}
