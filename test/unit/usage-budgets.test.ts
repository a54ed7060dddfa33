import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import type { UsageSettings } from '../../src/config/usage-settings.js';
import { openStore, type Store } from '../../src/store/database.js';
import { BudgetExhaustedError, budgetPeriod, Budgets } from '../../src/usage/budgets.js';
import { AnswerEstimator, PASSAGE_TOKENS } from '../../src/usage/estimate.js';
import { UsageLedger, type LedgerEntry } from '../../src/usage/ledger.js';
import { DEFAULT_PRICES, PriceBook } from '../../src/usage/prices.js';

let store: Store;
let dir: string;
let clock: Date;

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dualnova-budgets-'));
  store = await openStore({ dataDir: dir });
  clock = new Date('2026-11-05T10:00:00.000Z');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function budgetsConfig(overrides: Partial<UsageSettings['budgets']> = {}): UsageSettings['budgets'] {
  return {
    deployment: { tokens: undefined, costUsd: undefined },
    user: { tokens: undefined, costUsd: undefined },
    resetHourUtc: 0,
    warnPercent: 80,
    gracePercent: 10,
    ...overrides,
  };
}

function entry(overrides: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    conversationId: null,
    messageId: null,
    userId: 'alice',
    purpose: 'overview',
    lane: 'ko',
    provider: 'bedrock',
    modelId: 'us.amazon.nova-micro-v1:0',
    usage: { inputTokens: 2000, outputTokens: 500, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    latencyMs: 100,
    status: 'complete',
    costUsd: 0.001,
    estimated: false,
    ...overrides,
  };
}

const counter = (scope: string) =>
  store.db
    .selectFrom('budget_counters')
    .selectAll()
    .where('scope', '=', scope)
    .where('period', '=', budgetPeriod(clock, 0).key)
    .executeTakeFirst();

describe('the budget day', () => {
  it('starts at BUDGET_RESET_HOUR_UTC and lasts 24 hours', () => {
    expect(budgetPeriod(new Date('2026-11-05T10:00:00Z'), 0)).toMatchObject({
      key: '2026-11-05T00:00:00.000Z',
      end: new Date('2026-11-06T00:00:00Z'),
    });
    expect(budgetPeriod(new Date('2026-11-05T10:00:00Z'), 15)).toMatchObject({
      key: '2026-11-04T15:00:00.000Z',
      end: new Date('2026-11-05T15:00:00Z'),
    });
    expect(budgetPeriod(new Date('2026-11-05T15:00:00Z'), 15).key).toBe('2026-11-05T15:00:00.000Z');
    expect(budgetPeriod(new Date('2026-12-31T23:59:59Z'), 0).end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('ledger → counters', () => {
  it('adds every call to the deployment and user counters of its day, unknown costs as 0, in one transaction with the row', async () => {
    const ledger = new UsageLedger(store.db, { now: () => clock });
    await ledger.record(entry());
    await ledger.record(
      entry({
        userId: 'bob',
        costUsd: null,
        usage: { inputTokens: 10, outputTokens: 20, cacheReadInputTokens: 30, cacheWriteInputTokens: 40 },
      }),
    );
    await ledger.record(entry({ userId: null }));
    const deployment = await counter('deployment');
    expect({ tokens: Number(deployment?.used_tokens), calls: Number(deployment?.calls) }).toEqual({ tokens: 2500 + 100 + 2500, calls: 3 });
    expect(deployment?.used_cost_usd).toBeCloseTo(0.002, 12);
    expect(Number((await counter('user:bob'))?.used_tokens)).toBe(100);
    expect(Number((await counter('user:anonymous'))?.used_tokens)).toBe(2500);
    expect((await store.db.selectFrom('usage').selectAll().execute()).map((r) => r.user_id)).toEqual(['alice', 'bob', null]);
  });
});

describe('admission: full, overview-only, refused', () => {
  const estimate = { full: { tokens: 3000, costUsd: 0 }, overviewOnly: { tokens: 1000, costUsd: 0 } };

  it('walks from full answers through the 80 % warning and overview-only answers to a 429 with Retry-After', async () => {
    const budgets = new Budgets(store.db, budgetsConfig({ deployment: { tokens: 10_000, costUsd: undefined } }), { now: () => clock });
    const ledger = new UsageLedger(store.db, { now: () => clock });

    const first = await budgets.admit('alice', estimate);
    expect(first).toMatchObject({ mode: 'full', warnings: [] });
    await ledger.record(entry()); // 2,500 used
    await first.release();
    await first.release(); // idempotent
    expect(Number((await counter('deployment'))?.reserved_tokens)).toBe(0);

    const second = await budgets.admit('alice', estimate); // 2,500 + 3,000 = 55 %
    expect(second.warnings).toEqual([]);
    const third = await budgets.admit('bob', estimate); // 8,500 = 85 %
    expect(third.mode).toBe('full');
    expect(third.warnings).toEqual([
      {
        code: 'budget_warning',
        message: expect.stringMatching(
          /^Today's token budget of this deployment is 85% used or reserved \(8,500 tokens of 10,000 tokens\)\. .*resets at 00:00 UTC\.$/,
        ),
      },
    ]);
    const fourth = await budgets.admit('carol', estimate); // full would be 11,500: overview-only, 9,500
    expect(fourth.mode).toBe('overview-only');
    expect(fourth.warnings[0]).toMatchObject({
      code: 'budget_degraded',
      message: expect.stringContaining('this answer is the overview only'),
    });
    expect(fourth.warnings[0]?.message).toContain('DAILY_TOKEN_BUDGET');
    const fifth = await budgets.admit('dave', estimate); // 10,500 ≤ 11,000 (10 % grace)
    expect(fifth.mode).toBe('overview-only');

    const refused = budgets.admit('erin', estimate); // 11,500 > 11,000
    await expect(refused).rejects.toBeInstanceOf(BudgetExhaustedError);
    const error = (await refused.catch((e: unknown) => e)) as BudgetExhaustedError;
    expect(error).toMatchObject({ code: 'budget_exhausted', statusCode: 429, retryAfterSeconds: 14 * 3600 });
    expect(error.message).toMatch(
      /^Today's token budget of this deployment is used up \(10,500 tokens of 10,000 tokens\), including the 10% allowance for overview-only answers\. Answers resume when the budget resets at 00:00 UTC \(in 14 h 0 min\); an admin can raise DAILY_TOKEN_BUDGET\.$/,
    );

    const view = await budgets.view('alice');
    expect(view.deployment).toMatchObject({ state: 'degraded', tokens: { limit: 10_000, used: 2500, reserved: 8000, percent: 105 } });
    for (const admission of [second, third, fourth, fifth]) await admission.release();
    expect((await budgets.view('alice')).deployment.tokens).toMatchObject({ used: 2500, reserved: 0, percent: 25 });
    expect(await store.db.selectFrom('budget_reservations').selectAll().execute()).toEqual([]);

    // The next budget day starts from zero.
    clock = new Date('2026-11-06T00:00:01Z');
    expect((await budgets.admit('erin', estimate)).mode).toBe('full');
  });

  it('per-user budgets: one user running out does not touch another', async () => {
    const budgets = new Budgets(store.db, budgetsConfig({ user: { tokens: 4000, costUsd: undefined } }), { now: () => clock });
    const a = await budgets.admit('alice', estimate);
    expect(a.mode).toBe('full');
    expect((await budgets.admit('alice', estimate)).mode).toBe('overview-only'); // 4,000 ≤ 4,400
    await expect(budgets.admit('alice', estimate)).rejects.toThrow(/^Your daily token budget is used up/);
    expect((await budgets.admit('bob', estimate)).mode).toBe('full');
  });

  it('cost budgets in USD, and the translator check', async () => {
    const budgets = new Budgets(store.db, budgetsConfig({ deployment: { tokens: undefined, costUsd: 0.01 } }), { now: () => clock });
    const costly = { full: { tokens: 10, costUsd: 0.006 }, overviewOnly: { tokens: 5, costUsd: 0.002 } };
    const a = await budgets.admit('alice', costly);
    expect(a.mode).toBe('full');
    const b = await budgets.admit('bob', costly);
    expect(b.mode).toBe('overview-only');
    await expect(budgets.check('carol')).resolves.toBeUndefined();
    await new UsageLedger(store.db, { now: () => clock }).record(entry({ costUsd: 0.02 }));
    await expect(budgets.check('carol')).rejects.toThrow(/^Today's cost budget of this deployment is used up \(\$0\.0280 of \$0\.0100\)/);
  });

  it('answers that cost nothing (the offline provider) are never reserved for or refused', async () => {
    const budgets = new Budgets(store.db, budgetsConfig({ deployment: { tokens: 1, costUsd: undefined } }), { now: () => clock });
    await new UsageLedger(store.db, { now: () => clock }).record(entry());
    expect(await budgets.admit('alice', { full: { tokens: 0, costUsd: 0 }, overviewOnly: { tokens: 0, costUsd: 0 } })).toMatchObject({
      mode: 'full',
      warnings: [],
    });
  });

  it('50 concurrent admissions never reserve past the limit (full) or the grace band (overview-only)', async () => {
    const budgets = new Budgets(store.db, budgetsConfig({ deployment: { tokens: 30_000, costUsd: undefined } }), { now: () => clock });
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => budgets.admit(`user-${i % 5}`, estimate)));
    const admitted = results
      .filter((r): r is PromiseFulfilledResult<Awaited<ReturnType<Budgets['admit']>>> => r.status === 'fulfilled')
      .map((r) => r.value);
    const full = admitted.filter((a) => a.mode === 'full').length;
    const overview = admitted.filter((a) => a.mode === 'overview-only').length;
    expect(full).toBe(10); // 10 × 3,000 = 30,000
    expect(overview).toBe(3); // 30,000 + 3 × 1,000 = 33,000 = 110 %
    expect(results.filter((r) => r.status === 'rejected').length).toBe(37);
    expect(Number((await counter('deployment'))?.reserved_tokens)).toBe(33_000);
  });

  it('releases reservations of answers that never finished (a crashed process) after 15 minutes', async () => {
    const budgets = new Budgets(store.db, budgetsConfig({ deployment: { tokens: 10_000, costUsd: undefined } }), { now: () => clock });
    await budgets.admit('alice', estimate); // never released
    expect(await budgets.sweep()).toBe(0);
    clock = new Date(clock.getTime() + 16 * 60_000);
    expect(await budgets.sweep()).toBe(1);
    expect(Number((await counter('deployment'))?.reserved_tokens)).toBe(0);
  });
});

describe('the answer estimate', () => {
  const book = new PriceBook(DEFAULT_PRICES, 'us-east-1');
  const options = {
    overview: { modelId: 'us.amazon.nova-micro-v1:0', maxTokens: 1024 },
    detail: { modelId: 'us.amazon.nova-pro-v1:0', maxTokens: 2048 },
    translation: { modelId: 'us.amazon.nova-micro-v1:0', maxTokens: 1024 },
    prefixTokens: () => 1000,
    historyTokenBudget: 2000,
    retrieveTopK: 5,
    prices: book,
  };

  it('bounds output by maxTokens and input by the prompt parts with a 20 % margin', () => {
    const estimator = new AnswerEstimator({ ...options, billed: true });
    const question = 'How do I get a refund?'; // 22 characters → 6 tokens
    const input = Math.ceil(1.2 * (1000 + 2000 + 5 * PASSAGE_TOKENS + 2 * 6 + 300));
    const one = estimator.estimate({ lanes: 1, translation: false, question });
    expect(one.full.tokens).toBe(input + 1024 + input + 2048);
    expect(one.overviewOnly.tokens).toBe(input + 1024);
    expect(one.full.costUsd).toBeCloseTo((input * 0.000035 + 1024 * 0.00014 + input * 0.0008 + 2048 * 0.0032) / 1000, 12);
    const two = estimator.estimate({ lanes: 2, translation: true, question });
    const translation = Math.ceil(1.2 * (1000 + 12 + 300)) + Math.min(1024, 4 * 6 + 200);
    expect(two.full.tokens).toBe(translation + 2 * (input + 1024) + 2 * (input + 2048));
    expect(two.overviewOnly.tokens).toBe(translation + 2 * (input + 1024));
  });

  it('is zero offline, and prices unknown models at 0 (the token budget still holds)', () => {
    expect(new AnswerEstimator({ ...options, billed: false }).estimate({ lanes: 2, translation: true, question: 'x' })).toEqual({
      full: { tokens: 0, costUsd: 0 },
      overviewOnly: { tokens: 0, costUsd: 0 },
    });
    const unknown = new AnswerEstimator({
      ...options,
      billed: true,
      overview: { modelId: 'llama', maxTokens: 10 },
      detail: { modelId: 'llama', maxTokens: 10 },
    });
    const estimate = unknown.estimate({ lanes: 1, translation: false, question: 'x' });
    expect(estimate.full.costUsd).toBe(0);
    expect(estimate.full.tokens).toBeGreaterThan(0);
  });
});

describe('settings wiring', () => {
  it('budgets are off unless a limit is set', () => {
    const off = new Budgets(store.db, loadSettings({ env: {} }).usage.budgets);
    expect(off.enabled).toBe(false);
    const on = new Budgets(store.db, loadSettings({ env: { USER_DAILY_TOKEN_BUDGET: '5000' } }).usage.budgets);
    expect(on.enabled).toBe(true);
  });
});
