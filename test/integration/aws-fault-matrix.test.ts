/**
 * The fault matrix: every optional AWS dependency refused at once — CloudWatch (metrics and
 * alarms), the Bedrock knowledge base (its check and every search), STS — and no settings secret.
 * Chat must still answer from the local knowledge base, with the provider as configured.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventsNamed } from '../../src/contract/sse.js';
import type { StatusReport } from '../../src/contract/status.js';
import { answerText, setEnv, startAwsFakes, startObservedApp, TEST_CREDENTIALS, type AwsFakes } from '../helpers/aws-app.js';

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

function denyEveryOptionalDependency(): void {
  fakes.cloudwatch.fault('*', 'access-denied');
  fakes.control.fault('GetKnowledgeBase', 'access-denied');
  fakes.agentRuntime.setFault('access-denied');
  fakes.sts.fault('*', 'access-denied');
}

function expectOptionalOff(status: StatusReport): void {
  const state = (name: string) => status.dependencies.find((d) => d.name === name)?.state;
  expect(state('cloudwatch')).toBe('denied');
  expect(state('sts')).toBe('denied');
  expect(state('secrets-manager')).toBe('unconfigured');
  expect(['denied']).toContain(state('bedrock-agent-runtime'));
  expect(status.features.tokenMonitoring.available).toBe(false);
  expect(status.features.alarms.available).toBe(false);
  expect(status.features.chat.available).toBe(true);
}

describe.each([
  { provider: 'bedrock', expectText: 'Answer for us.amazon.nova-micro-v1:0' },
  { provider: 'offline', expectText: '' },
])('every optional dependency denied at once, MODEL_PROVIDER=$provider', ({ provider, expectText }) => {
  it('still answers from the local knowledge base, with a warning naming the refused action', async () => {
    denyEveryOptionalDependency();
    const app = await startObservedApp({ MODEL_PROVIDER: provider, KNOWLEDGE_BASE_ID: 'KB12345678' });
    try {
      expectOptionalOff(await app.status());
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

      for (let question = 0; question < 2; question += 1) {
        const events = await app.chat(question === 0 ? '환불은 며칠 안에 신청할 수 있나요?' : '계정 복구는 어떻게 하나요?');
        const warning = eventsNamed(events, 'warning').find((e) => e.data.code === 'retrieval_fallback');
        expect(warning?.data.message).toContain('bedrock:Retrieve');
        expect(warning?.data.message).toContain('Answering from the local knowledge base instead.');
        const references = events.find((e) => e.event === 'references')?.data.documents as Array<{ uri: string }>;
        expect(references.length).toBeGreaterThan(0);
        expect(references.every((r) => !r.uri.startsWith('s3://'))).toBe(true);
        expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
        const text = answerText(events);
        expect(text.length).toBeGreaterThan(20);
        if (expectText) expect(text).toContain(expectText);
      }
      // The first question met the refusal; the second skipped the known-refused knowledge base.
      expect(fakes.agentRuntime.requests.length).toBe(1);
      const status = await app.status();
      expect(status.features.knowledgeBase).toEqual({
        available: true,
        reason: 'Bedrock knowledge base denied (missing bedrock:Retrieve); answering from the local knowledge base',
      });
      if (provider === 'bedrock') expect(fakes.runtime.requests.length).toBe(4);
      else expect(fakes.runtime.requests.length).toBe(0);
    } finally {
      await app.close();
    }
  });
});
