/**
 * How the registry behaves over time: what real model and knowledge-base calls teach it, when
 * chat (and /readyz) really cannot be served, one log line per state change, re-checks on the TTL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { ManualClock } from '../helpers/manual-clock.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/cli/doctor.js';
import { answerText, setEnv, startAwsFakes, startObservedApp, TEST_CREDENTIALS, type AwsFakes } from '../helpers/aws-app.js';

const MICRO = 'bedrock-runtime:us.amazon.nova-micro-v1:0';
const PRO = 'bedrock-runtime:us.amazon.nova-pro-v1:0';
const BEDROCK = { MODEL_PROVIDER: 'bedrock' };

let fakes: AwsFakes;
let restoreEnv: () => void;

beforeAll(async () => {
  fakes = await startAwsFakes();
  restoreEnv = setEnv({ ...TEST_CREDENTIALS, ...fakes.endpoints });
});
afterAll(async () => {
  restoreEnv?.();
  await fakes?.close();
});
afterEach(() => fakes.reset());

async function readyz(url: string): Promise<{ status: number; body: { status: string; reasons: string[] } }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; reasons: string[] } };
}

describe('when chat cannot be served', () => {
  it('model ids that do not exist: /readyz 503 with the reason, doctor exits 1', async () => {
    const settings = { ...BEDROCK, FAST_MODEL_ID: 'us.amazon.nova-nope-v1:0', DETAIL_MODEL_ID: 'us.amazon.nova-nope-v1:0' };
    const app = await startObservedApp(settings);
    try {
      const entry = await app.dependency('bedrock-runtime:us.amazon.nova-nope-v1:0');
      expect(entry).toMatchObject({ state: 'error', required: true, fix: 'Check FAST_MODEL_ID / DETAIL_MODEL_ID and BEDROCK_REGION.' });
      expect(entry?.detail).toContain('does not exist in us-east-1');
      const status = await app.status();
      expect(status.features.chat.available).toBe(false);
      const ready = await readyz(app.url);
      expect(ready.status).toBe(503);
      expect(ready.body.status).toBe('not_ready');
      expect(ready.body.reasons[0]).toContain(
        'bedrock-runtime:us.amazon.nova-nope-v1:0 error: model us.amazon.nova-nope-v1:0 does not exist',
      );
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    } finally {
      await app.close();
    }
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-doctor-'));
    try {
      const report = await diagnose({}, { ...process.env, ...settings, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      expect(report).toMatchObject({ ready: false, exitCode: 1 });
      expect(report.reasons[0]).toContain('does not exist');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('base Nova ids without an inference profile: the check says which profile id to use', async () => {
    const app = await startObservedApp({ ...BEDROCK, FAST_MODEL_ID: 'amazon.nova-micro-v1:0', DETAIL_MODEL_ID: 'amazon.nova-pro-v1:0' });
    try {
      const entry = await app.dependency('bedrock-runtime:amazon.nova-pro-v1:0');
      expect(entry).toMatchObject({
        state: 'error',
        fix: 'Set FAST_MODEL_ID / DETAIL_MODEL_ID to the inference profile id (us.amazon.nova-pro-v1:0).',
      });
      expect(fakes.control.requests.map((r) => r.action)).toEqual(['GetFoundationModel', 'GetFoundationModel']);
      expect((await readyz(app.url)).status).toBe(503);
    } finally {
      await app.close();
    }
  });

  it('one model missing: chat stays available from the other, and says so', async () => {
    const app = await startObservedApp({ ...BEDROCK, FAST_MODEL_ID: 'us.amazon.nova-nope-v1:0' });
    try {
      const status = await app.status();
      expect(status.features.chat.available).toBe(true);
      expect(status.features.chat.reason).toMatch(
        /^the overview model cannot be used \(model us\.amazon\.nova-nope-v1:0 does not exist.*\); answers come from the detail model only$/,
      );
      expect((await readyz(app.url)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('answers refused by Bedrock: both models turn denied (bedrock:InvokeModelWithResponseStream), /readyz 503, until an answer succeeds', async () => {
    const app = await startObservedApp(BEDROCK);
    try {
      expect((await app.dependency(MICRO))?.state).toBe('ok');
      fakes.runtime.script(() => ({ fault: 'access-denied' }));
      const refused = await app.chat();
      expect(refused.filter((e) => e.event === 'warning').map((e) => e.data.code)).toContain('part_failed');
      for (const name of [MICRO, PRO]) {
        const entry = await app.dependency(name);
        expect(entry, name).toMatchObject({ state: 'denied', missingPermission: 'bedrock:InvokeModelWithResponseStream' });
        expect(entry?.detail, name).toContain('seen on a real call');
      }
      const ready = await readyz(app.url);
      expect(ready.status).toBe(503);
      expect(ready.body.reasons.join(' ')).toContain('bedrock:InvokeModelWithResponseStream');
      // Access granted again: the next answer clears the observation (no check had to run).
      fakes.runtime.script(undefined);
      const answered = await app.chat();
      expect(answered.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
      expect((await app.dependency(MICRO))?.state).toBe('ok');
      expect((await readyz(app.url)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('dualnova doctor --invoke', () => {
  const run = async (settings: Record<string, string>) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-doctor-'));
    try {
      return await diagnose({ invoke: true }, { ...process.env, ...settings, DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };

  it('proves invocation and search rights with one minimal real call each', async () => {
    const report = await run({ ...BEDROCK, KNOWLEDGE_BASE_ID: 'KB12345678' });
    expect(report.exitCode).toBe(0);
    expect(report.invocations?.map((c) => [c.target, c.ok])).toEqual([
      ['model us.amazon.nova-micro-v1:0', true],
      ['model us.amazon.nova-pro-v1:0', true],
      ['knowledge base KB12345678', true],
    ]);
    expect(fakes.runtime.requests.map((r) => r.body.inferenceConfig?.maxTokens)).toEqual([1, 1]);
    expect(fakes.agentRuntime.requests).toHaveLength(1);
  });

  it('turns refused answers and searches into denied entries, the statements that fix them, and exit 1', async () => {
    fakes.runtime.script(() => ({ fault: 'access-denied' }));
    fakes.agentRuntime.setFault('access-denied');
    const report = await run({ ...BEDROCK, KNOWLEDGE_BASE_ID: 'KB12345678' });
    expect(report).toMatchObject({ ready: false, exitCode: 1 });
    const entry = (name: string) => report.status?.dependencies.find((d) => d.name === name);
    expect(entry(MICRO)).toMatchObject({ state: 'denied', missingPermission: 'bedrock:InvokeModelWithResponseStream' });
    expect(entry('bedrock-agent-runtime')).toMatchObject({ state: 'denied', missingPermission: 'bedrock:Retrieve' });
    expect(report.fixes.find((f) => f.action === 'bedrock:Retrieve')?.statement).toEqual({
      Sid: 'KnowledgeBase',
      Effect: 'Allow',
      Action: ['bedrock:Retrieve'],
      Resource: ['arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678'],
    });
    expect(report.fixes.find((f) => f.dependency === MICRO)?.statement).toMatchObject({
      Sid: 'InvokeModels',
      Action: ['bedrock:InvokeModelWithResponseStream'],
    });
  });
});

describe('the Bedrock knowledge base seen from real searches', () => {
  it('a refused Retrieve turns the entry denied (bedrock:Retrieve); later questions skip it and answer from the local knowledge base', async () => {
    const app = await startObservedApp({ ...BEDROCK, KNOWLEDGE_BASE_ID: 'KB12345678' });
    try {
      expect((await app.dependency('bedrock-agent-runtime'))?.state).toBe('ok');
      const fromBedrock = await app.chat();
      const bedrockRefs = fromBedrock.find((e) => e.event === 'references')?.data.documents as Array<{ uri: string }>;
      expect(bedrockRefs[0]?.uri).toMatch(/^s3:\/\//);

      fakes.agentRuntime.setFault('access-denied');
      const first = await app.chat();
      expect(first.find((e) => e.event === 'warning')?.data).toMatchObject({
        code: 'retrieval_fallback',
        message: expect.stringContaining('bedrock:Retrieve'),
      });
      expect(first.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
      const entry = await app.dependency('bedrock-agent-runtime');
      expect(entry).toMatchObject({ state: 'denied', missingPermission: 'bedrock:Retrieve' });
      const status = await app.status();
      expect(status.features.knowledgeBase).toEqual({
        available: true,
        reason: 'Bedrock knowledge base denied (missing bedrock:Retrieve); answering from the local knowledge base',
      });

      const retrievesBefore = fakes.agentRuntime.requests.length;
      const second = await app.chat();
      expect(fakes.agentRuntime.requests.length).toBe(retrievesBefore);
      expect(second.find((e) => e.event === 'warning')?.data.message).toBe(
        'Bedrock knowledge base denied (missing bedrock:Retrieve). Answering from the local knowledge base instead.',
      );
      const localRefs = second.find((e) => e.event === 'references')?.data.documents as Array<{ uri: string }>;
      expect(localRefs.length).toBeGreaterThan(0);
      expect(localRefs.every((d) => !d.uri.startsWith('s3://'))).toBe(true);
      expect(answerText(second)).toContain('Answer for us.amazon.nova-micro-v1:0');
    } finally {
      await app.close();
    }
  });
});

describe('logs and re-checks', () => {
  it('logs one structured line per state change, not one per check', async () => {
    const app = await startObservedApp({ ...BEDROCK, LOG_LEVEL: 'info' });
    try {
      await app.runtime.dependencies.refresh();
      await app.runtime.dependencies.refresh();
      const changes = () => app.logs().filter((line) => line.msg === 'dependency state changed');
      const byName = (name: string) => changes().filter((line) => line.dependency === name);
      expect(byName('cloudwatch')).toHaveLength(1);
      expect(byName('cloudwatch')[0]).toMatchObject({ level: 'info', state: 'ok', required: false, source: 'check' });
      expect(byName(MICRO)).toHaveLength(1);
      expect(byName('secrets-manager')).toEqual([expect.objectContaining({ state: 'unconfigured', source: 'fixed' })]);
      const before = changes().length;

      fakes.cloudwatch.fault('*', 'access-denied');
      await app.runtime.dependencies.refresh();
      await app.runtime.dependencies.refresh();
      expect(changes()).toHaveLength(before + 1);
      expect(byName('cloudwatch')[1]).toMatchObject({
        level: 'warn',
        state: 'denied',
        previousState: 'ok',
        missingPermission: 'cloudwatch:ListMetrics',
        detail: expect.stringContaining('access denied'),
      });
    } finally {
      await app.close();
    }
  });

  it('re-checks every PROBE_TTL_SECONDS in the background, and stops when the app closes', async () => {
    const clock = new ManualClock();
    const app = await startObservedApp({ ...BEDROCK, PROBE_TTL_SECONDS: '60' }, { clock });
    const count = () => fakes.cloudwatch.requestsFor('ListMetrics').length;
    try {
      const first = count();
      expect(first).toBeGreaterThanOrEqual(1);
      clock.advance(59_000);
      expect(count()).toBe(first); // not before the TTL
      clock.advance(1_000);
      await expect.poll(count, { timeout: 4000, interval: 20 }).toBe(first + 1);
      fakes.cloudwatch.fault('ListMetrics', 'server-error');
      // The next round starts one TTL after the previous one finished.
      await expect.poll(() => clock.pending, { timeout: 4000, interval: 20 }).toBeGreaterThan(0);
      clock.advance(60_000);
      await expect.poll(async () => (await app.dependency('cloudwatch'))?.state, { timeout: 5000, interval: 50 }).toBe('error');
    } finally {
      await app.close();
    }
    const after = count();
    clock.advance(10 * 60_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(count()).toBe(after);
  });
});
