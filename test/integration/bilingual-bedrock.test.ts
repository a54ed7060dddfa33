import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eventsNamed } from '../../src/contract/sse.js';
import { postChat, type TimedEvent } from '../../bench/sse-client.js';
import { startFakeBedrockRuntime, type FakeBedrockRuntime, type FakeReply, type RecordedRequest } from '../fakes/bedrock-runtime.js';
import { startApp, type AppServer } from '../helpers/app-server.js';

let fake: FakeBedrockRuntime;
let server: AppServer;

const systemText = (r: RecordedRequest) => (r.body.system ?? []).map((b) => b.text ?? '').join('\n');
const isTranslation = (r: RecordedRequest) => systemText(r).includes('Task: TRANSLATION ONLY');
/** The answer language the prompt asks for ("… of the answer, in English."), or undefined for a translation. */
const laneOf = (r: RecordedRequest) => /of the answer, in (Korean|English|Japanese|Chinese)\./u.exec(systemText(r))?.[1];
const partOf = (r: RecordedRequest) => (systemText(r).includes('Task: write the OVERVIEW') ? 'overview' : 'detail');

const ANSWERS: Record<string, Record<'overview' | 'detail', string[]>> = {
  Korean: {
    overview: ['사용하지 않은 스타더스트는 ', '7일 안에 환불됩니다.'],
    detail: ['### 환불 조건\n', '- 결제 후 7일 이내\n', '- 스타더스트를 사용하지 않은 경우'],
  },
  English: {
    overview: ['Unused Stardust ', 'can be refunded within 7 days.'],
    detail: ['### Conditions\n', '- Within 7 days\n', '- Stardust not spent'],
  },
};

/** A fake Bedrock that answers in the language the prompt asks for, and translates questions into Korean. */
function languageAware(overrides: (r: RecordedRequest) => FakeReply | undefined = () => undefined) {
  return (r: RecordedRequest): FakeReply => {
    const override = overrides(r);
    if (override) return override;
    if (isTranslation(r)) return { chunks: ['사용하지 않은 스타더스트는 ', '어떻게 환불받나요?'] };
    const lane = laneOf(r) ?? 'English';
    // Every answer waits a little before its first byte, so "all calls started before the first delta" is measurable.
    return { chunks: ANSWERS[lane]?.[partOf(r)] ?? ['?'], firstByteDelayMs: 120 };
  };
}

const text = (events: TimedEvent[], lane: string, part: string) =>
  eventsNamed(events, 'delta')
    .filter((e) => e.data.lane === lane && e.data.part === part)
    .map((e) => e.data.text)
    .join('');
const warnings = (events: TimedEvent[]) => events.filter((e) => e.event === 'warning').map((e) => e.data);

beforeAll(async () => {
  fake = await startFakeBedrockRuntime();
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIATESTTESTTEST',
    AWS_SECRET_ACCESS_KEY: 'test-secret',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME: fake.url,
  });
  server = await startApp({ MODEL_PROVIDER: 'bedrock' });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});
beforeEach(() => {
  fake.reset();
  fake.script(languageAware());
});

describe('bilingual answers through the real Bedrock client against a wire-level fake', () => {
  it('answers an English question in a ko staff lane and an en customer lane, all four streams started before the first delta', async () => {
    const events = await postChat(server.url, { message: 'How do I get a refund for unused Stardust?', uiLanguage: 'en' });

    const meta = events[0];
    expect(meta?.event).toBe('meta');
    expect(meta?.data).toMatchObject({
      detectedLanguage: 'en',
      translatedQuestion: '사용하지 않은 스타더스트는 어떻게 환불받나요?',
      lanes: [
        { lane: 'ko', role: 'staff' },
        { lane: 'en', role: 'customer' },
      ],
    });

    expect(text(events, 'ko', 'overview')).toBe('사용하지 않은 스타더스트는 7일 안에 환불됩니다.');
    expect(text(events, 'ko', 'detail')).toContain('### 환불 조건');
    expect(text(events, 'en', 'overview')).toBe('Unused Stardust can be refunded within 7 days.');
    expect(text(events, 'en', 'detail')).toContain('### Conditions');
    const ends = events
      .filter((e) => e.event === 'part_end')
      .map((e) => `${String(e.data.lane)}.${String(e.data.part)}:${String(e.data.status)}`);
    expect(ends.sort()).toEqual(['en.detail:complete', 'en.overview:complete', 'ko.detail:complete', 'ko.overview:complete']);
    expect(warnings(events)).toEqual([]);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });

    // Upstream: one translation (fast model) first, then four ConverseStream calls.
    expect(fake.requests).toHaveLength(5);
    const [translation, ...answers] = fake.requests;
    expect(translation && isTranslation(translation)).toBe(true);
    expect(translation?.modelId).toBe('us.amazon.nova-micro-v1:0');
    expect(translation?.body.messages).toEqual([{ role: 'user', content: [{ text: 'How do I get a refund for unused Stardust?' }] }]);
    expect(answers.map((r) => `${laneOf(r)}.${partOf(r)}.${r.modelId}`).sort()).toEqual([
      'English.detail.us.amazon.nova-pro-v1:0',
      'English.overview.us.amazon.nova-micro-v1:0',
      'Korean.detail.us.amazon.nova-pro-v1:0',
      'Korean.overview.us.amazon.nova-micro-v1:0',
    ]);
    expect(answers.every((r) => r.operation === 'converse-stream')).toBe(true);
    const firstDelta = events.find((e) => e.event === 'delta');
    const firstDeltaAt = performance.timeOrigin + (firstDelta?.at ?? 0);
    for (const request of answers) expect(request.time).toBeLessThanOrEqual(firstDeltaAt);
    // Every call (translation included) sends the same static prefix, then the cache point.
    const prefixes = new Set(fake.requests.map((r) => r.body.system?.[0]?.text));
    expect(prefixes.size).toBe(1);
    for (const request of fake.requests) expect(request.body.system?.[1]).toEqual({ cachePoint: { type: 'default' } });
    // Each lane is told the glossary names in its language.
    expect(systemText(answers.find((r) => laneOf(r) === 'Korean') as RecordedRequest)).toMatch(/^- 스타더스트 \(for: Stardust/mu);

    const { messageId } = meta?.data as { messageId: string };
    const rows = await server.runtime.store.db.selectFrom('usage').selectAll().where('message_id', '=', messageId).execute();
    expect(rows.map((r) => `${r.purpose}:${r.lane}`).sort()).toEqual([
      'detail:en',
      'detail:ko',
      'overview:en',
      'overview:ko',
      'translate-question:ko',
    ]);
    expect(rows.every((r) => r.cost_usd !== null && r.cost_usd > 0)).toBe(true);
  });

  it('keeps the staff lane complete when the customer lane fails, with warnings', async () => {
    fake.script(languageAware((r) => (laneOf(r) === 'English' ? { fault: 'access-denied' } : undefined)));
    const events = await postChat(server.url, { message: 'How do I get a refund for unused Stardust?', uiLanguage: 'en' });
    expect(text(events, 'ko', 'overview')).toBe('사용하지 않은 스타더스트는 7일 안에 환불됩니다.');
    expect(text(events, 'ko', 'detail')).toContain('### 환불 조건');
    expect(text(events, 'en', 'overview')).toBe('');
    const failed = warnings(events).filter((w) => w.code === 'part_failed');
    expect(failed.map((w) => `${String(w.lane)}.${String(w.part)}`).sort()).toEqual(['en.detail', 'en.overview']);
    expect(String(failed[0]?.message)).toContain('bedrock:InvokeModelWithResponseStream');
    const ends = events
      .filter((e) => e.event === 'part_end')
      .map((e) => `${String(e.data.lane)}.${String(e.data.part)}:${String(e.data.status)}`);
    expect(ends.sort()).toEqual(['en.detail:failed', 'en.overview:failed', 'ko.detail:complete', 'ko.overview:complete']);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'partial' } });
  });

  it('answers from the original question when the translation fails', async () => {
    fake.script(languageAware((r) => (isTranslation(r) ? { fault: 'validation', errorMessage: 'Malformed input request' } : undefined)));
    const events = await postChat(server.url, { message: 'How do I get a refund for unused Stardust?', uiLanguage: 'en' });
    expect(eventsNamed(events, 'meta')[0]?.data.translatedQuestion).toBeUndefined();
    expect(warnings(events)).toEqual([
      {
        code: 'translation_failed',
        message: expect.stringMatching(
          /^Translation failed: Bedrock rejected the request to us\.amazon\.nova-micro-v1:0: Malformed input request Answering from the original question only\.$/u,
        ),
      },
    ]);
    expect(text(events, 'en', 'overview')).toBe('Unused Stardust can be refunded within 7 days.');
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  });

  it('warns when a lane writes a glossary name in the wrong language', async () => {
    fake.script(
      languageAware((r) =>
        laneOf(r) === 'Korean' && partOf(r) === 'overview' ? { chunks: ['사용하지 않은 Stardust는 ', '7일 안에 환불됩니다.'] } : undefined,
      ),
    );
    const events = await postChat(server.url, { message: 'How do I get a refund for unused Stardust?', uiLanguage: 'en' });
    expect(warnings(events)).toEqual([
      {
        code: 'glossary_mismatch',
        message: 'The Korean overview does not follow the glossary: "Stardust" should be "스타더스트".',
        lane: 'ko',
        part: 'overview',
        terms: [{ term: 'stardust', expected: '스타더스트', found: 'Stardust' }],
      },
    ]);
  });

  it('answers a Japanese question in ko and ja lanes', async () => {
    fake.script(
      languageAware((r) => (laneOf(r) === 'Japanese' ? { chunks: ['未使用のスターダストは7日以内に返金できます。'] } : undefined)),
    );
    const events = await postChat(server.url, { message: 'スターダストの返金はできますか？', uiLanguage: 'en' });
    expect(events[0]?.data).toMatchObject({
      detectedLanguage: 'ja',
      lanes: [
        { lane: 'ko', role: 'staff' },
        { lane: 'ja', role: 'customer' },
      ],
    });
    expect(text(events, 'ja', 'overview')).toBe('未使用のスターダストは7日以内に返金できます。');
    expect(systemText(fake.requests[0] as RecordedRequest)).toContain('from Japanese into Korean');
  });
});
