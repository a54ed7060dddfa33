/**
 * Budget enforcement under load: 50 concurrent chats in one process (5 users × 10), and 50 across
 * two server processes sharing one PostgreSQL. The fake Bedrock bills every call exactly what the
 * reservation estimated (input estimate, output = maxTokens), so any admission race would show as
 * spend above the budget; the test asserts none does, and that the split between full answers,
 * overview-only answers and 429 refusals is exactly what the budget allows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import type { RecordedRequest } from '../fakes/bedrock-runtime.js';
import { startApp } from '../helpers/app-server.js';
import { setEnv, startAwsFakes, TEST_CREDENTIALS, type AwsFakes } from '../helpers/aws-app.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { chat, startSecuredApp } from '../helpers/security-app.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const KO = '환불은 며칠 안에 신청할 수 있나요?';
const SHAPE = {
  HISTORY_TOKEN_BUDGET: '100',
  RETRIEVE_TOP_K: '1',
  OVERVIEW_MAX_TOKENS: '200',
  DETAIL_MAX_TOKENS: '300',
  BUDGET_GRACE_PERCENT: '0',
};
const LIMITS = { MAX_CONCURRENT_STREAMS: '100', RATE_LIMIT_PER_MINUTE: '10000', RATE_LIMIT_IP_PER_MINUTE: '100000' };

let fakes: AwsFakes;
let restore: () => void;
let estimate: { full: number; overview: number; input: number };

/** Every call bills exactly its share of the estimate, slowly enough that all 50 answers overlap. */
function billTheEstimate(request: RecordedRequest) {
  const detail = request.modelId.includes('pro');
  return {
    usage: { inputTokens: estimate.input, outputTokens: detail ? 300 : 200, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    chunkDelayMs: 25,
  };
}

type Outcome = 'full' | 'overview-only' | 'refused' | 'other';
function outcomeOf(result: { status: number; events: Array<{ event: string; data: any }>; json: any }): Outcome {
  if (result.status === 429 && result.json?.error?.code === 'budget_exhausted') return 'refused';
  if (result.status !== 200 || result.events.at(-1)?.event !== 'done') return 'other';
  const parts = result.events.filter((e) => e.event === 'part_end').map((e) => e.data.part);
  if (parts.join() === 'overview,detail') return 'full';
  if (parts.join() === 'overview' && result.events.some((e) => e.event === 'warning' && e.data.code === 'budget_degraded'))
    return 'overview-only';
  return 'other';
}

const count = (outcomes: Outcome[], kind: Outcome) => outcomes.filter((o) => o === kind).length;

beforeAll(async () => {
  fakes = await startAwsFakes();
  restore = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints });
  const probe = await startApp({ MODEL_PROVIDER: 'bedrock', ...SHAPE });
  const e = probe.runtime.usage.estimate({ lanes: 1, translation: false, question: KO });
  await probe.close();
  estimate = { full: e.full.tokens, overview: e.overviewOnly.tokens, input: e.overviewOnly.tokens - 200 };
  expect(estimate.full).toBe(2 * estimate.input + 500);
  fakes.runtime.script(billTheEstimate);
});
afterAll(async () => {
  restore?.();
  await fakes?.close();
});

describe('budgets under 50 concurrent chats', () => {
  it('per-user budgets in one process: each user gets exactly what fits — never a token more', async () => {
    // Two full answers and one overview-only answer fit each user's budget exactly.
    const limit = 2 * estimate.full + estimate.overview;
    const app = await startSecuredApp({
      AUTH_MODE: 'token',
      MODEL_PROVIDER: 'bedrock',
      ...SHAPE,
      ...LIMITS,
      USER_DAILY_TOKEN_BUDGET: String(limit),
      DAILY_TOKEN_BUDGET: '100000000',
    });
    try {
      const users = ['u1', 'u2', 'u3', 'u4', 'u5'];
      const tokens = Object.fromEntries(
        await Promise.all(users.map(async (name) => [name, (await app.tokens.create({ name, role: 'agent' })).token])),
      );
      const results = await Promise.all(
        users.flatMap((user) =>
          Array.from({ length: 10 }, async () => ({
            user,
            outcome: outcomeOf(await chat(app.url, { message: KO, uiLanguage: 'ko' }, { authorization: `Bearer ${tokens[user]}` })),
          })),
        ),
      );
      // All 50 were in flight together (the fake answers slowly), so every admission raced.
      for (const user of users) {
        const outcomes = results.filter((r) => r.user === user).map((r) => r.outcome);
        expect({
          user,
          full: count(outcomes, 'full'),
          overview: count(outcomes, 'overview-only'),
          refused: count(outcomes, 'refused'),
          other: count(outcomes, 'other'),
        }).toEqual({ user, full: 2, overview: 1, refused: 7, other: 0 });
        const rows = await app.runtime.store.db
          .selectFrom('usage')
          .select(['input_tokens', 'output_tokens'])
          .where('user_id', '=', `token:${user}`)
          .execute();
        const spent = rows.reduce((sum, r) => sum + r.input_tokens + r.output_tokens, 0);
        expect(spent, user).toBe(limit);
      }
      const counters = await app.runtime.store.db.selectFrom('budget_counters').selectAll().execute();
      expect(counters.every((c) => Number(c.reserved_tokens) === 0)).toBe(true);
      expect(Number(counters.find((c) => c.scope === 'deployment')?.used_tokens)).toBe(5 * limit);
      expect(await app.runtime.store.db.selectFrom('budget_reservations').selectAll().execute()).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a deployment budget across two server processes on one PostgreSQL: 50 chats, no overspend', async () => {
    const db = await createTestDatabase('usage_budget');
    const servers: ServerProcess[] = [];
    // Three full answers and one overview-only answer fit, in total, across both processes.
    const limit = 3 * estimate.full + estimate.overview;
    try {
      const env = {
        ...TEST_CREDENTIALS,
        ...fakes.endpoints,
        MODEL_PROVIDER: 'bedrock',
        DATABASE_URL: db.url,
        ...SHAPE,
        ...LIMITS,
        DAILY_TOKEN_BUDGET: String(limit),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      servers.push(await startServerProcess(env));
      servers.push(await startServerProcess(env));
      const results = await Promise.all(
        Array.from({ length: 50 }, async (_, i) => outcomeOf(await chat(servers[i % 2]!.url, { message: KO, uiLanguage: 'ko' }))),
      );
      expect({
        full: count(results, 'full'),
        overview: count(results, 'overview-only'),
        refused: count(results, 'refused'),
        other: count(results, 'other'),
      }).toEqual({ full: 3, overview: 1, refused: 46, other: 0 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const spent = await client.query<{ tokens: string }>('select sum(input_tokens + output_tokens) as tokens from usage');
        expect(Number(spent.rows[0]?.tokens)).toBe(limit);
        const counter = await client.query<{ used_tokens: string; reserved_tokens: string }>(
          "select used_tokens, reserved_tokens from budget_counters where scope = 'deployment'",
        );
        expect(counter.rows.map((r) => [Number(r.used_tokens), Number(r.reserved_tokens)])).toEqual([[limit, 0]]);
        expect((await client.query('select * from budget_reservations')).rows).toEqual([]);
      } finally {
        await client.end();
      }
    } finally {
      for (const server of servers) await server.stop();
      await db.drop();
    }
  }, 90_000);
});
