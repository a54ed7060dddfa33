import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_METRICS } from '../../infra/config/metrics.js';
import { openStore, type Store } from '../../src/store/database.js';
import { alarmName, planAlarms } from '../../src/usage/alarms.js';
import type { CloudWatchModelRow } from '../../src/usage/cloudwatch-reader.js';
import { EmfWriter, emfRecord, toLines } from '../../src/usage/emf.js';
import { UsageLedger, type LedgerEntry } from '../../src/usage/ledger.js';
import { DEFAULT_PRICES, PriceBook } from '../../src/usage/prices.js';
import { UsageQueries, type LedgerModelRow } from '../../src/usage/queries.js';
import { reconcile } from '../../src/usage/reconcile.js';

const book = new PriceBook(DEFAULT_PRICES, 'us-east-1');

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    conversationId: 'c1',
    messageId: 'm1',
    userId: 'alice',
    purpose: 'detail',
    lane: 'en',
    provider: 'bedrock',
    modelId: 'us.amazon.nova-pro-v1:0',
    usage: { inputTokens: 800, outputTokens: 200, cacheReadInputTokens: 3000, cacheWriteInputTokens: 0 },
    latencyMs: 1500,
    status: 'complete',
    costUsd: 0.00188,
    estimated: false,
    ...overrides,
  };
}

describe('Embedded Metric Format', () => {
  it('one line per call: namespace, dimensions Model × Purpose, the six metrics — the dashboard contract', () => {
    const record = emfRecord('Dualnova', entry(), 1_700_000_000_000);
    expect(record._aws).toEqual({
      Timestamp: 1_700_000_000_000,
      CloudWatchMetrics: [
        {
          Namespace: 'Dualnova',
          Dimensions: [['Model', 'Purpose']],
          Metrics: [
            { Name: 'InputTokens', Unit: 'Count' },
            { Name: 'OutputTokens', Unit: 'Count' },
            { Name: 'CacheReadInputTokens', Unit: 'Count' },
            { Name: 'CacheWriteInputTokens', Unit: 'Count' },
            { Name: 'CostUsd', Unit: 'None' },
            { Name: 'LatencyMs', Unit: 'Milliseconds' },
          ],
        },
      ],
    });
    expect(record).toMatchObject({
      Model: 'us.amazon.nova-pro-v1:0',
      Purpose: 'detail',
      InputTokens: 800,
      OutputTokens: 200,
      CacheReadInputTokens: 3000,
      CacheWriteInputTokens: 0,
      CostUsd: 0.00188,
      LatencyMs: 1500,
      Estimated: false,
    });
    // The CDK dashboard reads these names and dimensions.
    expect(APP_METRICS.namespace).toBe('Dualnova');
    expect([...APP_METRICS.dimensions]).toEqual(['Model', 'Purpose']);
    const declared = (record._aws as { CloudWatchMetrics: Array<{ Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics[0]!.Metrics.map(
      (m) => m.Name,
    );
    for (const name of Object.values(APP_METRICS.names)) expect(declared).toContain(name);
  });

  it('a call without a price has no CostUsd at all (never 0)', () => {
    const record = emfRecord('Dualnova', entry({ costUsd: null, modelId: 'llama' }), 1);
    expect(record).not.toHaveProperty('CostUsd');
    expect(JSON.stringify(record._aws)).not.toContain('CostUsd');
  });

  it('the ledger writes the line after the row', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dualnova-emf-'));
    const store = await openStore({ dataDir: dir });
    const lines: string[] = [];
    const ledger = new UsageLedger(store.db, { emf: new EmfWriter('Custom/NS', toLines({ write: (line) => lines.push(line) })) });
    await ledger.record(entry());
    await ledger.record(entry({ purpose: 'translate-text' }));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(JSON.parse(lines[1]!)).toMatchObject({ Purpose: 'translate-text', _aws: { CloudWatchMetrics: [{ Namespace: 'Custom/NS' }] } });
  });
});

describe('ledger queries', () => {
  let store: Store;
  let dir: string;
  const now = new Date();
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dualnova-queries-'));
    store = await openStore({ dataDir: dir });
    const ledger = new UsageLedger(store.db);
    await ledger.record(entry());
    await ledger.record(
      entry({
        purpose: 'overview',
        modelId: 'us.amazon.nova-micro-v1:0',
        usage: { inputTokens: 700, outputTokens: 100, cacheReadInputTokens: 3000, cacheWriteInputTokens: 0 },
        costUsd: 0.0001,
        latencyMs: 500,
      }),
    );
    await ledger.record(
      entry({
        purpose: 'translate-question',
        modelId: 'us.amazon.nova-micro-v1:0',
        usage: { inputTokens: 50, outputTokens: 20, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        costUsd: 0.00001,
        latencyMs: 300,
      }),
    );
    await ledger.record(
      entry({
        userId: 'bob',
        conversationId: 'c2',
        modelId: 'llama',
        provider: 'openai',
        costUsd: null,
        status: 'partial',
        estimated: true,
      }),
    );
    await ledger.record(
      entry({
        userId: 'bob',
        conversationId: 'c2',
        purpose: 'overview',
        status: 'failed',
        usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        costUsd: 0,
      }),
    );
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sums per model and purpose, the cache-read share, unpriced, estimated and failed calls', async () => {
    const q = new UsageQueries(store.db);
    const summary = await q.summary({ from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 1000) });
    expect(summary.totals).toMatchObject({
      calls: 5,
      inputTokens: 2350,
      outputTokens: 520,
      cacheReadInputTokens: 9000,
      unpricedCalls: 1,
      estimatedCalls: 1,
      failedCalls: 1,
    });
    expect(summary.totals.costUsd).toBeCloseTo(0.00188 + 0.0001 + 0.00001 + 0, 12);
    // 9,000 cache-read of 2,350 + 9,000 prompt tokens.
    expect(summary.totals.cacheReadShare).toBeCloseTo(9000 / 11_350, 4);
    const pro = summary.byModel.find((m) => m.modelId === 'us.amazon.nova-pro-v1:0');
    expect(pro).toMatchObject({ provider: 'bedrock', calls: 2, inputTokens: 800, failedCalls: 1, avgLatencyMs: 1500 });
    const llama = summary.byModel.find((m) => m.modelId === 'llama');
    expect(llama).toMatchObject({ costUsd: null, unpricedCalls: 1 });
    expect(summary.byPurpose.map((p) => p.purpose).sort()).toEqual(['detail', 'overview', 'translate-question']);
    const alice = await q.summary({ from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 1000), userId: 'alice' });
    expect(alice.totals.calls).toBe(3);
    const anonymous = await q.summary({ from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 1000), userId: null });
    expect(anonymous.totals.calls).toBe(0);
    expect(await q.unpricedModels({ from: new Date(now.getTime() - 3600_000), to: new Date(now.getTime() + 1000) })).toEqual([
      { modelId: 'llama', calls: 1 },
    ]);
  });

  it('per-conversation totals; null cost as soon as one call has no price (like the done event)', async () => {
    const q = new UsageQueries(store.db);
    const c1 = await q.conversation('c1');
    expect(c1).toMatchObject({ calls: 3, inputTokens: 1550, outputTokens: 320, cacheReadInputTokens: 6000, cacheWriteInputTokens: 0 });
    expect(c1.costUsd).toBeCloseTo(0.00199, 12);
    expect((await q.conversation('c2')).costUsd).toBeNull();
    expect(await q.conversation('none')).toEqual({
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadInputTokens: 0,
      cacheWriteInputTokens: 0,
      costUsd: 0,
    });
  });
});

describe('reconciliation', () => {
  const ledgerRow = (
    modelId: string,
    calls: number,
    inputTokens: number,
    outputTokens: number,
    extra: Partial<LedgerModelRow> = {},
  ): LedgerModelRow => ({
    modelId,
    provider: 'bedrock',
    calls,
    inputTokens,
    outputTokens,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    totalTokens: inputTokens + outputTokens,
    costUsd: 0,
    unpricedCalls: 0,
    estimatedCalls: 0,
    failedCalls: 0,
    cacheReadShare: null,
    avgLatencyMs: null,
    ...extra,
  });
  const cwRow = (
    modelId: string,
    configuredModelId: string,
    invocations: number,
    inputTokens: number,
    outputTokens: number,
  ): CloudWatchModelRow => ({
    modelId,
    configuredModelId,
    invocations,
    inputTokens,
    outputTokens,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    latencyAvgMs: null,
    latencyP90Ms: null,
    throttles: 0,
    clientErrors: 0,
    serverErrors: 0,
    estimatedCostUsd: null,
  });
  const window = (rows: CloudWatchModelRow[]) => ({ from: '2026-11-05T09:00:00.000Z', to: '2026-11-05T10:00:00.000Z', byModelId: rows });
  const PRO = 'us.amazon.nova-pro-v1:0';
  const MICRO = 'us.amazon.nova-micro-v1:0';

  it('explains each kind of difference', () => {
    const rows = reconcile({
      configuredModelIds: [MICRO, PRO, 'us.amazon.nova-lite-v1:0', 'us.amazon.nova-premier-v1:0'],
      ledger: [
        ledgerRow(MICRO, 10, 1000, 100),
        ledgerRow(PRO, 10, 5000, 900, { estimatedCalls: 2 }),
        ledgerRow('us.amazon.nova-premier-v1:0', 3, 10, 10),
      ],
      cloudwatch: {
        state: 'ok',
        region: 'us-east-1',
        window: window([
          cwRow(MICRO, MICRO, 10, 1000, 100),
          cwRow(PRO, PRO, 14, 6000, 1000),
          cwRow('amazon.nova-pro-v1:0', PRO, 2, 10, 10),
          cwRow('us.amazon.nova-premier-v1:0', 'us.amazon.nova-premier-v1:0', 1, 5, 5),
        ]),
      },
    });
    const by = Object.fromEntries(rows.map((r) => [r.modelId, r]));
    expect(by[MICRO]).toMatchObject({ status: 'match', difference: { invocations: 0, inputTokens: 0 } });
    expect(by[MICRO]?.note).toMatch(/agree/);
    // Two ids (the profile and the base id) count for Pro.
    expect(by[PRO]).toMatchObject({
      status: 'cloudwatch-higher',
      cloudwatchModelIds: [PRO, 'amazon.nova-pro-v1:0'],
      difference: { invocations: 6, inputTokens: 1010, outputTokens: 110 },
    });
    expect(by[PRO]?.note).toMatch(
      /^CloudWatch shows 6 more invocations and 1,120 more tokens than this deployment recorded: it counts every caller of the model in the account and us-east-1/,
    );
    expect(by['us.amazon.nova-lite-v1:0']).toMatchObject({ status: 'no-calls' });
    expect(by['us.amazon.nova-premier-v1:0']).toMatchObject({ status: 'cloudwatch-lower' });
    expect(by['us.amazon.nova-premier-v1:0']?.note).toMatch(/metrics arrive a few minutes late/);
  });

  it('without CloudWatch figures, says why and still shows the ledger', () => {
    const [row] = reconcile({
      configuredModelIds: [PRO],
      ledger: [ledgerRow(PRO, 3, 300, 30)],
      cloudwatch: {
        state: 'denied',
        reason: 'CloudWatch metrics unavailable: missing cloudwatch:GetMetricData on the task role',
        window: null,
        region: 'us-east-1',
      },
    });
    expect(row).toMatchObject({ status: 'unavailable', cloudwatch: null, difference: null, ledger: { invocations: 3, inputTokens: 300 } });
    expect(row?.note).toBe(
      'No CloudWatch figures to compare with: CloudWatch metrics unavailable: missing cloudwatch:GetMetricData on the task role.',
    );
  });
});

describe('alarm plan', () => {
  it('names alarms like the CDK stack and builds tokens-per-hour and cost-per-day metric math', () => {
    expect(alarmName('dualnova-', 'tokens-x')).toBe('dualnova-tokens-x');
    expect(alarmName('dualnova-prod-usage', 'cost-per-day')).toBe('dualnova-prod-usage-cost-per-day');
    const topic = 'arn:aws:sns:us-east-1:123456789012:dualnova-alarms';
    const plan = planAlarms({
      prefix: 'dualnova-prod-usage',
      modelIds: ['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0', 'us.amazon.nova-micro-v1:0'],
      prices: book,
      thresholds: { tokensPerHour: 500_000, throttlesPer5Min: 10, serverErrorsPer5Min: 5, costPerDayUsd: 25 },
      snsTopicArn: topic,
    });
    expect(plan.alarms.map((a) => a.AlarmName)).toEqual([
      'dualnova-prod-usage-tokens-us.amazon.nova-micro-v1:0',
      'dualnova-prod-usage-throttles-us.amazon.nova-micro-v1:0',
      'dualnova-prod-usage-server-errors-us.amazon.nova-micro-v1:0',
      'dualnova-prod-usage-tokens-us.amazon.nova-pro-v1:0',
      'dualnova-prod-usage-throttles-us.amazon.nova-pro-v1:0',
      'dualnova-prod-usage-server-errors-us.amazon.nova-pro-v1:0',
      'dualnova-prod-usage-cost-per-day',
    ]);
    const tokens = plan.alarms[0]!;
    expect(tokens).toMatchObject({
      Threshold: 500_000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(
      tokens.Metrics?.map((m) => [m.Id, m.MetricStat?.Metric?.MetricName ?? m.Expression, m.MetricStat?.Period, m.ReturnData]),
    ).toEqual([
      ['tin', 'InputTokenCount', 3600, false],
      ['tout', 'OutputTokenCount', 3600, false],
      ['tokens', 'FILL(tin, 0) + FILL(tout, 0)', undefined, true],
    ]);
    const cost = plan.alarms.at(-1)!;
    expect(cost.Threshold).toBe(25);
    // USD per million tokens, plain decimals: Micro 0.035 / 0.14 / 0.00875 / 0.035, Pro 0.8 / 3.2 / 0.2 / 0.8.
    expect(cost.Metrics?.at(-1)?.Expression).toBe(
      '(FILL(in0, 0) * 0.035 + FILL(out0, 0) * 0.14 + FILL(cr0, 0) * 0.00875 + FILL(cw0, 0) * 0.035 + FILL(in1, 0) * 0.8 + FILL(out1, 0) * 3.2 + FILL(cr1, 0) * 0.2 + FILL(cw1, 0) * 0.8) / 1000000',
    );
    expect(cost.Metrics?.filter((m) => m.MetricStat).every((m) => m.MetricStat?.Period === 86_400 && m.MetricStat.Stat === 'Sum')).toBe(
      true,
    );
    expect(plan.notes).toEqual([]);
  });

  it('leaves out the cost alarm without a threshold, and unpriced models from it, saying so', () => {
    expect(
      planAlarms({
        prefix: 'p',
        modelIds: ['m'],
        prices: book,
        thresholds: { tokensPerHour: 1, throttlesPer5Min: 1, serverErrorsPer5Min: 1 },
      }).notes,
    ).toEqual(['no cost alarm: give --cost-per-day USD, or set ALARM_COST_PER_DAY_USD or DAILY_COST_BUDGET_USD']);
    const plan = planAlarms({
      prefix: 'p',
      modelIds: ['llama', 'us.amazon.nova-pro-v1:0'],
      prices: book,
      thresholds: { tokensPerHour: 1, throttlesPer5Min: 1, serverErrorsPer5Min: 1, costPerDayUsd: 5 },
    });
    expect(plan.notes).toEqual(['the cost alarm leaves out llama: no price in table 2025-06 (add it with PRICES_FILE)']);
    expect(plan.alarms.at(-1)?.AlarmName).toBe('p-cost-per-day');
    expect(plan.alarms.some((a) => 'AlarmActions' in a)).toBe(false);
  });
});
