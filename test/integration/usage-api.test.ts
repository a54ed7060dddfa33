/**
 * GET /api/usage and the usage parts of other routes: who sees what (agents their own calls, admins
 * the deployment and the account-wide CloudWatch view), per-conversation totals, unknown prices
 * (null, never 0, with a warning), budget warnings and refusals in answers and translations, and —
 * offline without credentials — not one CloudWatch request.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { dataOf } from '../../src/contract/sse.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runUsage } from '../../src/cli/usage.js';
import type { UsageReport } from '../../src/usage/service.js';
import { startFakeCloudWatch, type FakeCloudWatch } from '../fakes/cloudwatch.js';
import { startApp, type AppServer } from '../helpers/app-server.js';
import { captureIo, setEnv, startAwsFakes, TEST_CREDENTIALS, type AwsFakes } from '../helpers/aws-app.js';
import { call, chat, startSecuredApp, type SecuredApp } from '../helpers/security-app.js';

const KO = '환불은 며칠 안에 신청할 수 있나요?';

describe('offline, no AWS credentials: the ledger only, and no CloudWatch traffic at all', () => {
  let cw: FakeCloudWatch;
  let app: AppServer;
  let restore: () => void;

  beforeAll(async () => {
    cw = await startFakeCloudWatch();
    // A CloudWatch endpoint is set (so any call would be seen), credentials are not.
    restore = setEnv({
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
    });
    app = await startApp({ MODEL_PROVIDER: 'offline' });
  });
  afterAll(async () => {
    await app?.close();
    restore?.();
    await cw?.close();
  });

  it('says why CloudWatch is unavailable, shows the offline calls at 0 USD, and sends nothing', async () => {
    const events = (await chat(app.url, { message: KO, uiLanguage: 'ko' })).events;
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { costUsd: 0 } });
    for (let i = 0; i < 3; i++) {
      const report = (await call(`${app.url}/api/usage?window=7d`)).json as UsageReport;
      expect(report.cloudwatch).toMatchObject({ state: 'unconfigured', byModel: [] });
      expect(report.cloudwatch.reason).toMatch(/^CloudWatch metrics unavailable: no AWS credentials found/);
      expect(report.alarms.state).toBe('unconfigured');
      expect(report.ledger.byModel).toEqual([
        expect.objectContaining({ modelId: 'offline-extractive', provider: 'offline', calls: 2, totalTokens: 0, costUsd: 0 }),
      ]);
      expect(report.reconciliation.every((r) => r.status === 'unavailable')).toBe(true);
    }
    const cli = captureIo({ ...process.env, MODEL_PROVIDER: 'offline', LOG_LEVEL: 'silent', DATA_DIR: app.dataDir });
    expect(await runUsage({ window: '24h', json: false }, cli.io)).toBe(0);
    expect(cli.out()).toMatch(
      /CloudWatch \(AWS\/Bedrock, us-east-1\): unconfigured — CloudWatch metrics unavailable: no AWS credentials found/,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(cw.requests).toHaveLength(0);
  });

  it('validates the window', async () => {
    const bad = await call(`${app.url}/api/usage?window=30d`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: { code: 'invalid_request' } });
    expect((await call(`${app.url}/api/usage`)).json).toMatchObject({ window: '24h', scope: 'deployment' });
  });
});

describe('with Bedrock (fake): totals, prices, visibility, budgets', () => {
  let fakes: AwsFakes;
  let restore: () => void;

  beforeAll(async () => {
    fakes = await startAwsFakes();
    restore = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints });
  });
  afterAll(async () => {
    restore?.();
    await fakes?.close();
  });

  it('GET /api/conversations/:id carries the conversation totals: every call, translations included', async () => {
    const app = await startApp({ MODEL_PROVIDER: 'bedrock' });
    try {
      const first = await chat(app.url, { message: 'How long do I have to request a refund?', uiLanguage: 'en' });
      const conversationId = dataOf(first.events, 'meta')?.conversationId as string;
      const second = await chat(app.url, { conversationId, message: KO, uiLanguage: 'ko' });
      const done = [first, second].map((c) => dataOf(c.events, 'done')!);
      const detail = (await call(`${app.url}/api/conversations/${conversationId}`)).json;
      // English to a Korean desk: a question translation and two lanes (5 calls), then one Korean lane (2 calls).
      expect(detail.usage.calls).toBe(7);
      for (const key of ['inputTokens', 'outputTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens'] as const) {
        expect(detail.usage[key], key).toBe(done[0]!.usage[key] + done[1]!.usage[key]);
      }
      expect(detail.usage.costUsd).toBeCloseTo((done[0]!.costUsd ?? NaN) + (done[1]!.costUsd ?? NaN), 9);
      expect(detail.usage.costUsd).toBeGreaterThan(0);
    } finally {
      await app.close();
    }
  });

  it('a call cancelled by the client before the provider reported usage is recorded with estimated tokens, flagged', async () => {
    fakes.runtime.script(() => ({
      chunks: ['Refunds ', 'are possible ', 'within ', 'seven ', 'days ', 'of purchase.'],
      chunkDelayMs: 300,
    }));
    const app = await startApp({ MODEL_PROVIDER: 'bedrock' });
    try {
      const controller = new AbortController();
      const response = await fetch(`${app.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: KO, uiLanguage: 'ko' }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let seen = '';
      while (!seen.includes('event: delta')) seen += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      await expect
        .poll(async () => (await app.runtime.store.db.selectFrom('usage').selectAll().execute()).length, { timeout: 10_000 })
        .toBe(2);
      const rows = await app.runtime.store.db.selectFrom('usage').selectAll().execute();
      for (const row of rows) {
        expect(row, row.purpose).toMatchObject({ estimated: 1, status: 'partial' });
        expect(row.input_tokens, row.purpose).toBeGreaterThan(100); // the whole prompt, estimated
        expect(row.output_tokens, row.purpose).toBeGreaterThan(0);
        expect(row.cost_usd, row.purpose).toBeGreaterThan(0);
      }
      const report = (await call(`${app.url}/api/usage?window=1h`)).json as UsageReport;
      expect(report.ledger.totals.estimatedCalls).toBe(2);
      expect(report.warnings.map((w) => w.code)).toContain('estimated_usage');
    } finally {
      fakes.runtime.script(undefined);
      await app.close();
    }
  });

  it('an unknown model costs null (never 0) in the stream, the ledger and the report, with a warning', async () => {
    const app = await startApp({ MODEL_PROVIDER: 'bedrock', DETAIL_MODEL_ID: 'us.amazon.nova-ultra-v9:0' });
    try {
      const { events } = await chat(app.url, { message: KO, uiLanguage: 'ko' });
      const ends = events.filter((e) => e.event === 'part_end');
      expect(ends.find((e) => e.data.part === 'detail')?.data.costUsd).toBeNull();
      expect(ends.find((e) => e.data.part === 'overview')?.data.costUsd).toBeGreaterThan(0);
      expect(dataOf(events, 'done')?.costUsd).toBeNull();
      const report = (await call(`${app.url}/api/usage?window=1h`)).json as UsageReport;
      expect(report.ledger.byModel.find((m) => m.modelId === 'us.amazon.nova-ultra-v9:0')).toMatchObject({
        costUsd: null,
        unpricedCalls: 1,
      });
      // The total is the priced part, and says some calls are not in it.
      expect(report.ledger.costUsd).toBeGreaterThan(0);
      expect(report.ledger.totals.unpricedCalls).toBe(1);
      expect(report.warnings).toContainEqual({
        code: 'unpriced_model',
        modelId: 'us.amazon.nova-ultra-v9:0',
        message: expect.stringMatching(
          /^No price for us\.amazon\.nova-ultra-v9:0 in price table 2025-06: its 1 call\(s\) have an unknown cost/,
        ),
      });
      const conversation = (await call(`${app.url}/api/conversations/${dataOf(events, 'meta')?.conversationId}`)).json;
      expect(conversation.usage.costUsd).toBeNull();
    } finally {
      await app.close();
    }
  });

  describe('who sees what (AUTH_MODE=token)', () => {
    let app: SecuredApp;
    const tokens = { alice: '', bob: '', admin: '' };
    const as = (who: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[who]}` });

    beforeAll(async () => {
      app = await startSecuredApp({
        AUTH_MODE: 'token',
        MODEL_PROVIDER: 'bedrock',
        RATE_LIMIT_PER_MINUTE: '1000',
        USER_DAILY_TOKEN_BUDGET: '5000000',
      });
      tokens.alice = (await app.tokens.create({ name: 'alice', role: 'agent' })).token;
      tokens.bob = (await app.tokens.create({ name: 'bob', role: 'agent' })).token;
      tokens.admin = (await app.tokens.create({ name: 'lead', role: 'admin' })).token;
      await chat(app.url, { message: KO, uiLanguage: 'ko' }, as('alice'));
      await chat(app.url, { message: KO, uiLanguage: 'ko' }, as('alice'));
      await chat(app.url, { message: KO, uiLanguage: 'ko' }, as('bob'));
    });
    afterAll(async () => app?.close());

    it('an agent sees their own calls and budgets, never the account-wide CloudWatch figures or alarms', async () => {
      const alice = await call(`${app.url}/api/usage?window=24h`, { headers: as('alice') });
      expect(alice.status).toBe(200);
      const report = alice.json as UsageReport;
      expect(report.scope).toBe('user');
      expect(report.ledger.totals.calls).toBe(4);
      expect(report.cloudwatch).toEqual({
        state: 'restricted',
        reason: 'CloudWatch figures and alarms are account-wide: they are shown to admins only.',
        region: 'us-east-1',
        byModel: [],
      });
      expect(report.alarms).toMatchObject({ state: 'restricted', items: [] });
      expect(report.reconciliation).toEqual([]);
      expect(report.budgets.user).toMatchObject({ scope: 'user', tokens: { limit: 5_000_000 }, calls: 4 });
      expect((await call(`${app.url}/api/usage?window=24h`, { headers: as('bob') })).json.ledger.totals.calls).toBe(2);
      const forbidden = await call(`${app.url}/api/usage?scope=deployment`, { headers: as('bob') });
      expect(forbidden.status).toBe(403);
      expect(forbidden.json).toMatchObject({ error: { code: 'forbidden' } });
      expect((await call(`${app.url}/api/alarms`, { headers: as('bob') })).status).toBe(403);
      expect((await call(`${app.url}/api/usage`)).status).toBe(401);
    });

    it('an admin sees the whole deployment (or, with scope=me, their own calls) and the CloudWatch part', async () => {
      const report = (await call(`${app.url}/api/usage?window=24h`, { headers: as('admin') })).json as UsageReport;
      expect(report.scope).toBe('deployment');
      expect(report.ledger.totals.calls).toBe(6);
      expect(['pending', 'ok']).toContain(report.cloudwatch.state);
      expect(report.reconciliation.map((r) => r.modelId)).toEqual(['us.amazon.nova-micro-v1:0', 'us.amazon.nova-pro-v1:0']);
      const own = (await call(`${app.url}/api/usage?scope=me`, { headers: as('admin') })).json as UsageReport;
      expect(own).toMatchObject({ scope: 'user', ledger: { totals: { calls: 0 } } });
    });
  });

  it('budgets in the answer stream: warning at 80 %, overview only, then 429 budget_exhausted with Retry-After; the translator too', async () => {
    fakes.runtime.script(() => ({ usage: { inputTokens: 400, outputTokens: 100, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 } }));
    const probe = await startApp({
      MODEL_PROVIDER: 'bedrock',
      HISTORY_TOKEN_BUDGET: '100',
      RETRIEVE_TOP_K: '1',
      OVERVIEW_MAX_TOKENS: '200',
      DETAIL_MAX_TOKENS: '200',
    });
    const estimate = probe.runtime.usage.estimate({ lanes: 1, translation: false, question: KO });
    await probe.close();
    // Room for one full answer (reserved at ≥ 80 %); after its real 1,000 tokens no second full
    // answer fits, but an overview-only one does (within the 10 % grace).
    const limit = estimate.full.tokens + 500;
    expect(estimate.full.tokens / limit).toBeGreaterThan(0.8);
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-budget-api-'));
    const app = await startApp({
      MODEL_PROVIDER: 'bedrock',
      HISTORY_TOKEN_BUDGET: '100',
      RETRIEVE_TOP_K: '1',
      OVERVIEW_MAX_TOKENS: '200',
      DETAIL_MAX_TOKENS: '200',
      DAILY_TOKEN_BUDGET: String(limit),
      DATA_DIR: dataDir,
    });
    try {
      const first = (await chat(app.url, { message: KO, uiLanguage: 'ko' })).events;
      const meta = first.findIndex((e) => e.event === 'meta');
      expect(first[meta + 1]).toMatchObject({
        event: 'warning',
        data: {
          code: 'budget_warning',
          message: expect.stringMatching(/^Today's token budget of this deployment is \d+% used or reserved/),
        },
      });
      expect(first.filter((e) => e.event === 'part_end').map((e) => e.data.part)).toEqual(['overview', 'detail']);

      // Used now: the first answer's real tokens (2 × 500), far below its estimate; the next full one does not fit.
      const second = (await chat(app.url, { message: KO, uiLanguage: 'ko' })).events;
      expect(second.find((e) => e.event === 'warning')).toMatchObject({
        data: { code: 'budget_degraded', message: expect.stringContaining('this answer is the overview only') },
      });
      expect(second.filter((e) => e.event === 'part_end').map((e) => e.data.part)).toEqual(['overview']);
      expect(second.some((e) => e.event === 'delta' && e.data.part === 'detail')).toBe(false);
      expect(second.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
      const stored = (await call(`${app.url}/api/conversations/${dataOf(second, 'meta')?.conversationId}`)).json;
      expect(stored.messages[1].lanes[0].parts.detail.status).toBe('skipped');

      // Fill the day (another deployment's calls would do the same) and ask again.
      await app.runtime.ledger.record({
        conversationId: null,
        messageId: null,
        userId: null,
        purpose: 'overview',
        lane: 'ko',
        provider: 'bedrock',
        modelId: 'us.amazon.nova-micro-v1:0',
        usage: { inputTokens: limit, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        latencyMs: 1,
        status: 'complete',
        costUsd: 0.01,
        estimated: false,
      });
      const before = fakes.runtime.requests.length;
      const refused = await fetch(`${app.url}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: KO, uiLanguage: 'ko' }),
      });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('budget_exhausted');
      expect(body.error.message).toMatch(/^Today's token budget of this deployment is used up .* an admin can raise DAILY_TOKEN_BUDGET\.$/);
      expect(fakes.runtime.requests.length).toBe(before); // refused before any model call
      const translate = await call(`${app.url}/api/translate`, { method: 'POST', json: { text: KO, target: 'en' } });
      expect(translate.status).toBe(429);
      expect(translate.json).toMatchObject({ error: { code: 'budget_exhausted' } });
      expect(fakes.runtime.requests.length).toBe(before);

      const report = (await call(`${app.url}/api/usage`)).json as UsageReport;
      expect(report.budgets.deployment).toMatchObject({ state: 'exhausted', tokens: { limit, reserved: 0 } });
      expect(await app.runtime.store.db.selectFrom('budget_reservations').selectAll().execute()).toEqual([]);
    } finally {
      fakes.runtime.script(undefined);
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
