/**
 * The usage ledger, its queries and the budget counters on a real PostgreSQL (bigint sums come back
 * as strings there; upserts and conditional updates must behave as on SQLite).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.js';
import { BudgetExhaustedError, Budgets } from '../../src/usage/budgets.js';
import { UsageLedger, type LedgerEntry } from '../../src/usage/ledger.js';
import { UsageQueries } from '../../src/usage/queries.js';
import { createTestDatabase } from '../helpers/postgres.js';

let store: Store;
let drop: () => Promise<void>;

beforeAll(async () => {
  const db = await createTestDatabase('usage_pg');
  drop = db.drop;
  store = await openStore({ databaseUrl: db.url, dataDir: '/nonexistent' });
});
afterAll(async () => {
  await store?.close();
  await drop?.();
});

const entry = (overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
  conversationId: 'c1',
  messageId: 'm1',
  userId: 'alice',
  purpose: 'overview',
  lane: 'ko',
  provider: 'bedrock',
  modelId: 'us.amazon.nova-micro-v1:0',
  usage: { inputTokens: 1000, outputTokens: 100, cacheReadInputTokens: 2000, cacheWriteInputTokens: 0 },
  latencyMs: 321,
  status: 'complete',
  costUsd: 0.0001,
  estimated: false,
  ...overrides,
});

describe('usage on PostgreSQL', () => {
  it('records, sums per model and purpose, and totals a conversation', async () => {
    const ledger = new UsageLedger(store.db);
    await ledger.record(entry());
    await ledger.record(
      entry({
        purpose: 'detail',
        modelId: 'us.amazon.nova-pro-v1:0',
        usage: { inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 2000, cacheWriteInputTokens: 100 },
        costUsd: 0.003,
      }),
    );
    await ledger.record(
      entry({
        userId: null,
        conversationId: 'c2',
        modelId: 'llama',
        provider: 'openai',
        costUsd: null,
        estimated: true,
        status: 'partial',
      }),
    );
    const q = new UsageQueries(store.db);
    const now = Date.now();
    const summary = await q.summary({ from: new Date(now - 60_000), to: new Date(now + 60_000) });
    expect(summary.totals).toMatchObject({
      calls: 3,
      inputTokens: 3000,
      outputTokens: 700,
      cacheReadInputTokens: 6000,
      cacheWriteInputTokens: 100,
      totalTokens: 9800,
      unpricedCalls: 1,
      estimatedCalls: 1,
    });
    expect(summary.totals.costUsd).toBeCloseTo(0.0031, 12);
    expect(typeof summary.totals.calls).toBe('number');
    expect(summary.byModel.find((m) => m.modelId === 'us.amazon.nova-micro-v1:0')).toMatchObject({
      calls: 1,
      avgLatencyMs: 321,
      cacheReadShare: 0.6667,
    });
    // Biggest first: overview 6,200 tokens, detail 3,600.
    expect(summary.byPurpose.map((p) => [p.purpose, p.calls])).toEqual([
      ['overview', 2],
      ['detail', 1],
    ]);
    expect((await q.summary({ from: new Date(now - 60_000), to: new Date(now + 60_000), userId: null })).totals.calls).toBe(1);
    const c1 = await q.conversation('c1');
    expect(c1).toMatchObject({ calls: 2, inputTokens: 2000, outputTokens: 600, cacheWriteInputTokens: 100 });
    expect(c1.costUsd).toBeCloseTo(0.0031, 12);
    expect((await q.conversation('c2')).costUsd).toBeNull();
  });

  it('keeps the counters, reserves, degrades, refuses and releases', async () => {
    const budgets = new Budgets(store.db, {
      deployment: { tokens: 20_000, costUsd: undefined },
      user: { tokens: undefined, costUsd: 1 },
      resetHourUtc: 0,
      warnPercent: 80,
      gracePercent: 10,
    });
    const before = await budgets.view('alice');
    // The three rows above: 3,100 + 3,600 + 3,100 tokens; alice's priced cost 0.0031.
    expect(before.deployment.tokens).toMatchObject({ used: 9800, reserved: 0 });
    expect(before.user.costUsd.used).toBeCloseTo(0.0031, 9);
    const estimate = { full: { tokens: 6000, costUsd: 0.01 }, overviewOnly: { tokens: 3000, costUsd: 0.005 } };
    const a = await budgets.admit('alice', estimate); // 15,800
    expect(a.mode).toBe('full');
    const b = await budgets.admit('bob', estimate); // full → 21,800 > 20,000; overview → 18,800
    expect(b.mode).toBe('overview-only');
    const c = await budgets.admit('carol', estimate); // overview → 21,800 ≤ 22,000
    expect(c.mode).toBe('overview-only');
    await expect(budgets.admit('dave', estimate)).rejects.toBeInstanceOf(BudgetExhaustedError);
    await Promise.all([a.release(), b.release(), c.release()]);
    expect((await budgets.view('alice')).deployment.tokens).toMatchObject({ used: 9800, reserved: 0 });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => budgets.admit(`u${i}`, estimate)));
    // 9,800 + 1 × 6,000 = 15,800; then overview-only up to 22,000: 2 × 3,000.
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(3);
    expect((await budgets.view('x')).deployment.tokens.reserved).toBe(12_000);
  });
});
