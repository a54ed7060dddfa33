/**
 * The CloudWatch side of token monitoring, end to end: the real CloudWatch SDK client (found through
 * AWS_ENDPOINT_URL_CLOUDWATCH) against the wire-level fake, the real app in this process with the
 * fake Bedrock runtime answering chats. Asserts on the fake's request log: one GetMetricData per
 * refresh carrying every query, ListMetrics paged with NextToken, the cache honoured, AccessDenied
 * turning the CloudWatch part off with its reason while the ledger goes on, and the alarms
 * round-tripping through PutMetricAlarm / DescribeAlarms (`dualnova alarms apply|list`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { ManualClock } from '../helpers/manual-clock.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAlarms } from '../../src/cli/alarms.js';
import { runUsage } from '../../src/cli/usage.js';
import type { UsageReport } from '../../src/usage/service.js';
import { bedrockMetrics, startFakeCloudWatch, type FakeCloudWatch } from '../fakes/cloudwatch.js';
import {
  captureIo,
  setEnv,
  startAwsFakes,
  startObservedApp,
  TEST_CREDENTIALS,
  type AwsFakes,
  type ObservedApp,
} from '../helpers/aws-app.js';

const MICRO = 'us.amazon.nova-micro-v1:0';
const PRO = 'us.amazon.nova-pro-v1:0';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:dualnova-alarms';

let fakes: AwsFakes;
let cw: FakeCloudWatch;
let restoreEnv: () => void;

/** ModelId values in the account: other models first, so the configured ones sit on later pages. */
const ACCOUNT_MODEL_IDS = [
  'amazon.titan-text-express-v1',
  'anthropic.claude-3-haiku-20240307-v1:0',
  'cohere.command-r-v1:0',
  'meta.llama3-8b-instruct-v1:0',
  MICRO,
  'amazon.nova-micro-v1:0',
  PRO,
];

beforeAll(async () => {
  fakes = await startAwsFakes();
  cw = await startFakeCloudWatch({ pageSize: 2, metrics: bedrockMetrics(ACCOUNT_MODEL_IDS) });
  restoreEnv = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints, AWS_ENDPOINT_URL_CLOUDWATCH: cw.url });
});
afterAll(async () => {
  restoreEnv?.();
  await cw?.close();
  await fakes?.close();
});

const usageOf = async (app: ObservedApp, window = '1h'): Promise<UsageReport> =>
  (await (await fetch(`${app.url}/api/usage?window=${window}`)).json()) as UsageReport;
const discoveryRequests = () =>
  cw.requestsFor('ListMetrics').filter((r) => (r.body as { MetricName?: string }).MetricName === 'Invocations');

describe('CloudWatch reader against the fake', () => {
  let app: ObservedApp;
  const clock = new ManualClock();
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

  beforeAll(async () => {
    cw.putDatapoints([
      { metricName: 'Invocations', dimensions: { ModelId: PRO }, value: 3, timestamp: minutesAgo(10) },
      { metricName: 'InputTokenCount', dimensions: { ModelId: PRO }, value: 1200, timestamp: minutesAgo(10) },
      { metricName: 'InputTokenCount', dimensions: { ModelId: PRO }, value: 800, timestamp: minutesAgo(20) },
      { metricName: 'OutputTokenCount', dimensions: { ModelId: PRO }, value: 300, timestamp: minutesAgo(10) },
      { metricName: 'CacheReadInputTokenCount', dimensions: { ModelId: PRO }, value: 5000, timestamp: minutesAgo(10) },
      { metricName: 'InvocationThrottles', dimensions: { ModelId: PRO }, value: 2, timestamp: minutesAgo(15) },
      ...Array.from({ length: 10 }, (_, i) => ({
        metricName: 'InvocationLatency',
        dimensions: { ModelId: PRO },
        value: (i + 1) * 100,
        timestamp: minutesAgo(5 + i),
      })),
      // Three hours ago: in the 24 h and 7 d windows only.
      { metricName: 'InputTokenCount', dimensions: { ModelId: PRO }, value: 10_000, timestamp: minutesAgo(180) },
      // The base id (another caller invoking it directly): counted for the configured Micro.
      { metricName: 'Invocations', dimensions: { ModelId: 'amazon.nova-micro-v1:0' }, value: 4, timestamp: minutesAgo(30) },
    ]);
    app = await startObservedApp({ MODEL_PROVIDER: 'bedrock', USAGE_CACHE_SECONDS: '5' }, { clock });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('serves the cache at once and refreshes in the background: one GetMetricData carrying every query', async () => {
    expect(cw.requestsFor('GetMetricData')).toHaveLength(0); // nothing at start, nothing on chat
    await app.chat();
    expect(cw.requestsFor('GetMetricData')).toHaveLength(0);

    const first = await usageOf(app);
    expect(first.cloudwatch.state).toBe('pending');
    expect(first.cloudwatch.reason).toMatch(/being fetched in the background/);
    // The ledger is there at once.
    expect(first.ledger.byModel.map((m) => m.modelId).sort()).toEqual([MICRO, PRO]);

    await expect.poll(async () => (await usageOf(app)).cloudwatch.state, { timeout: 10_000, interval: 100 }).toBe('ok');
    const gets = cw.requestsFor('GetMetricData');
    expect(gets).toHaveLength(1);
    const body = gets[0]!.body as {
      MetricDataQueries: Array<{
        Id: string;
        MetricStat: { Metric: { MetricName: string; Dimensions: Array<{ Value: string }> }; Period: number; Stat: string };
      }>;
      StartTime: number;
      EndTime: number;
    };
    // Three ids (Micro profile, Micro base id found by discovery, Pro) × 3 windows × (8 sums + latency avg + p90).
    expect(body.MetricDataQueries).toHaveLength(3 * 3 * 10);
    expect(new Set(body.MetricDataQueries.map((q) => q.Id)).size).toBe(90);
    expect(new Set(body.MetricDataQueries.map((q) => q.MetricStat.Metric.Dimensions[0]!.Value))).toEqual(
      new Set([MICRO, 'amazon.nova-micro-v1:0', PRO]),
    );
    expect(new Set(body.MetricDataQueries.map((q) => q.MetricStat.Metric.MetricName))).toEqual(
      new Set([
        'Invocations',
        'InputTokenCount',
        'OutputTokenCount',
        'CacheReadInputTokenCount',
        'CacheWriteInputTokenCount',
        'InvocationLatency',
        'InvocationThrottles',
        'InvocationClientErrors',
        'InvocationServerErrors',
      ]),
    );
    expect(new Set(body.MetricDataQueries.map((q) => q.MetricStat.Period))).toEqual(new Set([3600, 86_400, 604_800]));
    expect(
      body.MetricDataQueries.filter((q) => q.MetricStat.Metric.MetricName === 'InvocationLatency')
        .map((q) => q.MetricStat.Stat)
        .sort(),
    ).toEqual([...Array(9).fill('Average'), ...Array(9).fill('p90')]);
    expect(body.EndTime - body.StartTime).toBe(7 * 86_400);
    expect(body.EndTime % 60).toBe(0);
  });

  it('follows ListMetrics NextToken paging to find the ModelId values present', () => {
    const pages = discoveryRequests();
    expect(pages.map((r) => (r.body as { NextToken?: string }).NextToken)).toEqual([undefined, 'page-2', 'page-4', 'page-6']);
    expect(pages[0]!.body).toEqual({ Namespace: 'AWS/Bedrock', MetricName: 'Invocations', Dimensions: [{ Name: 'ModelId' }] });
  });

  it('reports each window from its own datapoint, latency as average and p90, other models named but not read', async () => {
    const hour = await usageOf(app, '1h');
    const pro = hour.cloudwatch.byModel.find((m) => m.modelId === PRO);
    expect(pro).toMatchObject({
      configuredModelId: PRO,
      invocations: 3,
      inputTokens: 2000,
      outputTokens: 300,
      cacheReadInputTokens: 5000,
      throttles: 2,
      latencyAvgMs: 550,
      latencyP90Ms: 900,
    });
    // 2,000 × 0.0008 + 300 × 0.0032 + 5,000 × 0.0002 = 1.6 + 0.96 + 1.0 = 3.56 / 1000
    expect(pro?.estimatedCostUsd).toBeCloseTo(0.00356, 9);
    expect(hour.cloudwatch.byModel.find((m) => m.modelId === 'amazon.nova-micro-v1:0')).toMatchObject({
      configuredModelId: MICRO,
      invocations: 4,
    });
    expect(hour.cloudwatch.otherModelIds).toEqual([
      'amazon.titan-text-express-v1',
      'anthropic.claude-3-haiku-20240307-v1:0',
      'cohere.command-r-v1:0',
      'meta.llama3-8b-instruct-v1:0',
    ]);
    const day = await usageOf(app, '24h');
    expect(day.cloudwatch.byModel.find((m) => m.modelId === PRO)?.inputTokens).toBe(12_000);
    // Same snapshot: no new request for another window.
    expect(cw.requestsFor('GetMetricData')).toHaveLength(1);
  });

  it('reconciles the ledger with CloudWatch per configured model and explains the difference', async () => {
    const report = await usageOf(app, '1h');
    const rows = Object.fromEntries(report.reconciliation.map((r) => [r.modelId, r]));
    // The chat made one Pro call; CloudWatch saw 3 (other callers in the account).
    expect(rows[PRO]).toMatchObject({ ledger: { invocations: 1 }, cloudwatch: { invocations: 3 }, difference: { invocations: 2 } });
    expect(rows[PRO]?.status === 'cloudwatch-higher' || rows[PRO]?.status === 'mixed').toBe(true);
    expect(rows[PRO]?.note).toMatch(/counts every caller of the model in the account and us-east-1/);
    expect(rows[MICRO]?.cloudwatchModelIds).toEqual([MICRO, 'amazon.nova-micro-v1:0']);
  });

  it('honours USAGE_CACHE_SECONDS: reads within it are served from the cache; after it, one more refresh (discovery stays cached)', async () => {
    for (let i = 0; i < 5; i++) await usageOf(app);
    expect(cw.requestsFor('GetMetricData')).toHaveLength(1);
    const cached = await usageOf(app);
    expect(cached.cloudwatch.ageSeconds).toBeLessThanOrEqual(5);
    clock.advance(5200);
    const stale = await usageOf(app);
    expect(stale.cloudwatch.state).toBe('ok'); // the old figures meanwhile
    await expect.poll(() => cw.requestsFor('GetMetricData').length, { timeout: 10_000, interval: 100 }).toBe(2);
    await expect.poll(async () => (await usageOf(app)).cloudwatch.refreshing, { timeout: 10_000, interval: 100 }).toBe(false);
    expect(cw.requestsFor('GetMetricData')).toHaveLength(2);
    expect(discoveryRequests()).toHaveLength(4);
  });

  it('writes one EMF line per ledger row through the log', () => {
    const emf = app.logs().filter((line) => line._aws !== undefined);
    expect(emf.length).toBeGreaterThanOrEqual(2);
    expect(emf[0]).toMatchObject({
      Model: expect.any(String),
      Purpose: expect.stringMatching(/^(overview|detail)$/),
      _aws: { CloudWatchMetrics: [{ Namespace: 'Dualnova', Dimensions: [['Model', 'Purpose']] }] },
    });
  });
});

describe('CloudWatch denied', () => {
  it('turns the CloudWatch part off with the reason, while the ledger and chat go on', async () => {
    cw.reset();
    cw.fault('GetMetricData', 'access-denied');
    cw.fault('DescribeAlarms', 'access-denied');
    const app = await startObservedApp({ MODEL_PROVIDER: 'bedrock' });
    try {
      const events = await app.chat();
      expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
      await usageOf(app);
      await expect.poll(async () => (await usageOf(app)).cloudwatch.state, { timeout: 10_000, interval: 100 }).toBe('denied');
      const report = await usageOf(app);
      expect(report.cloudwatch.reason).toBe('CloudWatch metrics unavailable: missing cloudwatch:GetMetricData on the task role');
      expect(report.cloudwatch.byModel).toEqual([]);
      expect(report.alarms).toMatchObject({
        state: 'denied',
        reason: 'CloudWatch alarms unavailable: missing cloudwatch:DescribeAlarms on the task role',
        items: [],
      });
      expect(report.ledger.totals.calls).toBe(2);
      expect(report.ledger.totals.inputTokens).toBeGreaterThan(0);
      expect(report.reconciliation.find((r) => r.modelId === PRO)).toMatchObject({
        status: 'unavailable',
        ledger: { invocations: 1 },
        cloudwatch: null,
      });
      expect(report.reconciliation[0]?.note).toContain('missing cloudwatch:GetMetricData on the task role');
      // Chat never waited on (or called) CloudWatch's data API.
      expect(cw.requestsFor('GetMetricData')).toHaveLength(1);
      const again = await app.chat();
      expect(again.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
    } finally {
      await app.close();
      cw.reset();
    }
  });
});

describe('dualnova alarms apply | list, and alarm states in /api/usage', () => {
  it('creates, lists, updates and prunes the usage alarms through PutMetricAlarm / DescribeAlarms / DeleteAlarms', async () => {
    cw.reset();
    const app = await startObservedApp({ MODEL_PROVIDER: 'bedrock', USAGE_CACHE_SECONDS: '5' });
    const env = { ...process.env, MODEL_PROVIDER: 'bedrock', LOG_LEVEL: 'silent', DATA_DIR: app.runtime.settings.dataDir };
    const usage = (problem: string) => {
      throw new Error(problem);
    };
    try {
      const apply = captureIo(env);
      expect(await runAlarms(['apply', '--sns-topic', TOPIC, '--tokens-per-hour', '250000', '--cost-per-day', '30'], usage, apply.io)).toBe(
        0,
      );
      const names = [...cw.alarms().keys()].sort();
      expect(names).toEqual([
        'dualnova-cost-per-day',
        `dualnova-server-errors-${MICRO}`,
        `dualnova-server-errors-${PRO}`,
        `dualnova-throttles-${MICRO}`,
        `dualnova-throttles-${PRO}`,
        `dualnova-tokens-${MICRO}`,
        `dualnova-tokens-${PRO}`,
      ]);
      expect(apply.out()).toContain(`created  dualnova-tokens-${PRO}`);
      const tokens = cw.alarms().get(`dualnova-tokens-${PRO}`)!;
      expect(tokens).toMatchObject({
        Threshold: 250000,
        AlarmActions: [TOPIC],
        OKActions: [TOPIC],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect((tokens.Metrics as Array<{ Expression?: string }>).at(-1)?.Expression).toBe('FILL(tin, 0) + FILL(tout, 0)');
      expect(cw.alarms().get('dualnova-cost-per-day')).toMatchObject({ Threshold: 30 });
      expect(cw.requestsFor('PutMetricAlarm')).toHaveLength(7);

      const list = captureIo(env);
      expect(await runAlarms(['list'], usage, list.io)).toBe(0);
      expect(list.out()).toMatch(new RegExp(`^dualnova-tokens-us\\.amazon\\.nova-pro-v1:0\\s+INSUFFICIENT_DATA`, 'm'));

      cw.setAlarmState(
        `dualnova-throttles-${PRO}`,
        'ALARM',
        'Threshold Crossed: 1 datapoint [14.0] was greater than or equal to the threshold (10.0).',
      );
      const again = captureIo(env);
      expect(await runAlarms(['list', '--json'], usage, again.io)).toBe(0);
      const listed = JSON.parse(again.out()) as { items: Array<{ name: string; state: string; reason: string }> };
      expect(listed.items.find((a) => a.name === `dualnova-throttles-${PRO}`)).toMatchObject({
        state: 'ALARM',
        reason: expect.stringContaining('Threshold Crossed'),
      });

      // The UI's view: the same states from the reader's cache.
      await usageOf(app);
      await expect.poll(async () => (await usageOf(app)).alarms.state, { timeout: 10_000, interval: 100 }).toBe('ok');
      const report = await usageOf(app);
      expect(report.alarms.items).toHaveLength(7);
      expect(report.alarms.items.find((a) => a.name === `dualnova-throttles-${PRO}`)?.state).toBe('ALARM');
      const alarmsOnly = (await (await fetch(`${app.url}/api/alarms`)).json()) as { items: unknown[] };
      expect(alarmsOnly.items).toHaveLength(7);

      // Another stack's alarm under the same prefix is never pruned.
      const { CloudWatchClient, PutMetricAlarmCommand } = await import('@aws-sdk/client-cloudwatch');
      const client = new CloudWatchClient({ region: 'us-east-1' });
      await client.send(
        new PutMetricAlarmCommand({
          AlarmName: 'dualnova-prod-service-alb-5xx',
          MetricName: 'HTTPCode_ELB_5XX_Count',
          Namespace: 'AWS/ApplicationELB',
          Statistic: 'Sum',
          Period: 300,
          EvaluationPeriods: 1,
          Threshold: 5,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        }),
      );
      client.destroy();
      // Apply again with another detail model and --prune: the old model's alarms go.
      const prune = captureIo({ ...env, DETAIL_MODEL_ID: 'us.amazon.nova-premier-v1:0' });
      expect(await runAlarms(['apply', '--prune', '--cost-per-day', '30'], usage, prune.io)).toBe(0);
      expect(prune.out()).toContain(`updated  dualnova-tokens-${MICRO}`);
      expect(prune.out()).toContain(`created  dualnova-tokens-us.amazon.nova-premier-v1:0`);
      expect(prune.out()).toContain(`deleted  dualnova-tokens-${PRO}`);
      expect([...cw.alarms().keys()].filter((n) => n.includes('amazon.nova-pro'))).toEqual([]);
      expect(cw.alarms().has('dualnova-prod-service-alb-5xx')).toBe(true);
      expect(cw.requestsFor('DeleteAlarms')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('dry-run prints the plan without a call; list without permission says which action is missing', async () => {
    cw.reset();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-alarms-'));
    const env = { ...process.env, MODEL_PROVIDER: 'bedrock', LOG_LEVEL: 'silent', DATA_DIR: dataDir };
    const usage = (problem: string) => {
      throw new Error(problem);
    };
    const dry = captureIo(env);
    expect(await runAlarms(['apply', '--dry-run'], usage, dry.io)).toBe(0);
    const plan = JSON.parse(dry.out()) as { alarms: Array<{ AlarmName: string }>; notes: string[] };
    expect(plan.alarms).toHaveLength(6);
    expect(plan.notes[0]).toMatch(/^no cost alarm/);
    expect(cw.requests).toHaveLength(0);

    cw.fault('DescribeAlarms', 'access-denied');
    const denied = captureIo(env);
    expect(await runAlarms(['list'], usage, denied.io)).toBe(1);
    expect(denied.err()).toBe(
      'dualnova: access denied: the role needs cloudwatch:DescribeAlarms on alarms named "dualnova-*" (see dualnova iam-policy).\n',
    );
    cw.reset();
    rmSync(dataDir, { recursive: true, force: true });
  });
});

describe('dualnova usage', () => {
  it('prints the ledger, CloudWatch, reconciliation, alarms and budgets tables, or the API JSON', async () => {
    cw.reset();
    const app = await startObservedApp({ MODEL_PROVIDER: 'bedrock' });
    try {
      await app.chat();
      const env = {
        ...process.env,
        MODEL_PROVIDER: 'bedrock',
        LOG_LEVEL: 'silent',
        DATA_DIR: app.runtime.settings.dataDir,
        DAILY_TOKEN_BUDGET: '2000000',
      };
      const text = captureIo(env);
      expect(await runUsage({ window: '24h', json: false }, text.io)).toBe(0);
      const out = text.out();
      expect(out).toMatch(/^Usage, last 24h \(.*\), whole deployment$/m);
      expect(out).toMatch(new RegExp(`^us\\.amazon\\.nova-pro-v1:0\\s+1\\s+[\\d,]+`, 'm'));
      expect(out).toMatch(/^TOTAL\s+2\s/m);
      expect(out).toContain('CloudWatch (AWS/Bedrock, us-east-1, fetched');
      expect(out).toContain('Reconciliation (ledger vs CloudWatch, same window)');
      expect(out).toMatch(/^deployment\s+[\d,]+ \/ 2,000,000 \(\d+(\.\d)?%\)/m);
      const json = captureIo(env);
      expect(await runUsage({ window: '1h', json: true }, json.io)).toBe(0);
      const report = JSON.parse(json.out()) as UsageReport;
      expect(report).toMatchObject({ window: '1h', scope: 'deployment', cloudwatch: { state: 'ok' }, budgets: { enabled: true } });
      expect(report.ledger.byModel).toHaveLength(2);
      const bad = captureIo(env);
      expect(await runUsage({ window: '2d', json: false }, bad.io)).toBe(2);
    } finally {
      await app.close();
    }
  });
});
