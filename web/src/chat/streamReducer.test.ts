import { describe, expect, it } from 'vitest';
import type { ChatEvent, LaneInfo, StoredMessage } from '../api/types';
import { answerFromStored, initialAnswer, isActivePart, streamReducer, type AnswerView, type StreamAction } from './streamReducer';

const usage = { inputTokens: 120, outputTokens: 40, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 };

const meta = (lanes: LaneInfo[]): ChatEvent => ({
  event: 'meta',
  data: { conversationId: 'c1', messageId: 'm2', userMessageId: 'm1', detectedLanguage: 'ko', lanes },
});

function run(actions: StreamAction[], from: AnswerView = initialAnswer()): AnswerView {
  return actions.reduce(streamReducer, from);
}

const koLane = [{ lane: 'ko' as const, role: 'customer' as const }];

describe('streamReducer', () => {
  it('starts connecting and becomes streaming on meta', () => {
    const s = run([meta(koLane)]);
    expect(s.phase).toBe('streaming');
    expect(s.conversationId).toBe('c1');
    expect(s.messageId).toBe('m2');
    expect(s.userMessageId).toBe('m1');
    expect(s.detectedLanguage).toBe('ko');
    expect(s.lanes).toHaveLength(1);
    expect(s.lanes[0]?.parts.overview.phase).toBe('waiting');
    expect(s.lanes[0]?.parts.detail.phase).toBe('waiting');
  });

  it('streams the overview, then the detail, with part_end stats and done', () => {
    const events: ChatEvent[] = [
      meta(koLane),
      {
        event: 'references',
        data: { documents: [{ id: 'd1', title: '환불 정책', uri: 's3://kb/refund.md', score: 0.82, excerpt: '환불은 7일 이내' }] },
      },
      { event: 'delta', data: { lane: 'ko', part: 'overview', text: '환불은 ' } },
      { event: 'delta', data: { lane: 'ko', part: 'overview', text: '7일 이내 가능합니다.' } },
    ];
    let s = run(events);
    const lane = s.lanes[0]!;
    expect(lane.parts.overview.text).toBe('환불은 7일 이내 가능합니다.');
    expect(lane.parts.overview.phase).toBe('streaming');
    expect(isActivePart(s, lane, 'overview')).toBe(true);
    expect(isActivePart(s, lane, 'detail')).toBe(false);
    expect(s.references.map((r) => r.id)).toEqual(['d1']);

    s = run(
      [
        {
          event: 'part_end',
          data: {
            lane: 'ko',
            part: 'overview',
            model: 'us.amazon.nova-micro-v1:0',
            usage,
            latencyMs: 640,
            costUsd: 0.0000098,
            status: 'complete',
          },
        },
        { event: 'delta', data: { lane: 'ko', part: 'detail', text: '자세히는' } },
      ],
      s,
    );
    const after = s.lanes[0]!;
    expect(after.parts.overview.phase).toBe('complete');
    expect(after.parts.overview.model).toBe('us.amazon.nova-micro-v1:0');
    expect(after.parts.overview.usage).toEqual(usage);
    expect(after.parts.overview.latencyMs).toBe(640);
    expect(after.parts.overview.costUsd).toBeCloseTo(0.0000098);
    expect(isActivePart(s, after, 'detail')).toBe(true);

    s = run(
      [
        { event: 'delta', data: { lane: 'ko', part: 'detail', text: ' 다음과 같습니다.' } },
        {
          event: 'part_end',
          data: { lane: 'ko', part: 'detail', model: 'us.amazon.nova-pro-v1:0', usage, latencyMs: 2100, costUsd: null, status: 'complete' },
        },
        { event: 'done', data: { messageId: 'm2', status: 'complete', usage, costUsd: 0.0002 } },
      ],
      s,
    );
    const done = s.lanes[0]!;
    expect(done.parts.detail.text).toBe('자세히는 다음과 같습니다.');
    expect(done.parts.detail.phase).toBe('complete');
    expect(done.parts.detail.costUsd).toBeNull();
    expect(s.phase).toBe('done');
    expect(s.status).toBe('complete');
    expect(s.costUsd).toBe(0.0002);
    expect(isActivePart(s, done, 'detail')).toBe(false);
  });

  it('keeps the rest of the answer when one part fails, with the warning on that part', () => {
    const s = run([
      meta(koLane),
      { event: 'delta', data: { lane: 'ko', part: 'detail', text: 'detail text' } },
      { event: 'warning', data: { code: 'part_failed', message: 'overview throttled', lane: 'ko', part: 'overview' } },
      { event: 'part_end', data: { lane: 'ko', part: 'overview', model: 'm', usage, latencyMs: 10, costUsd: 0, status: 'failed' } },
      { event: 'part_end', data: { lane: 'ko', part: 'detail', model: 'p', usage, latencyMs: 20, costUsd: 0, status: 'complete' } },
      { event: 'done', data: { messageId: 'm2', status: 'partial', usage, costUsd: 0 } },
    ]);
    const lane = s.lanes[0]!;
    expect(lane.parts.overview.phase).toBe('failed');
    expect(lane.parts.overview.notices).toEqual([{ code: 'part_failed', message: 'overview throttled' }]);
    expect(lane.parts.detail.text).toBe('detail text');
    expect(lane.parts.detail.phase).toBe('complete');
    expect(s.status).toBe('partial');
    expect(s.warnings).toEqual([]);
  });

  it('collects answer-level and lane-level warnings', () => {
    const s = run([
      meta(koLane),
      { event: 'warning', data: { code: 'translation_failed', message: 'x' } },
      { event: 'warning', data: { code: 'budget_warning', message: 'y', lane: 'ko' } },
    ]);
    expect(s.warnings).toEqual([
      { code: 'translation_failed', message: 'x' },
      { code: 'budget_warning', message: 'y', lane: 'ko' },
    ]);
  });

  it('a fatal error keeps what arrived and closes open parts', () => {
    const s = run([
      meta(koLane),
      { event: 'delta', data: { lane: 'ko', part: 'overview', text: 'half' } },
      { event: 'error', data: { code: 'internal_error', message: 'boom' } },
    ]);
    expect(s.phase).toBe('failed');
    expect(s.error).toEqual({ code: 'internal_error', message: 'boom' });
    expect(s.lanes[0]?.parts.overview).toMatchObject({ text: 'half', phase: 'partial' });
    expect(s.lanes[0]?.parts.detail.phase).toBe('skipped');
  });

  it('a network drop marks the answer interrupted, keeping the text', () => {
    const s = run([meta(koLane), { event: 'delta', data: { lane: 'ko', part: 'overview', text: 'abc' } }, { event: 'interrupted' }]);
    expect(s.phase).toBe('interrupted');
    expect(s.error?.code).toBe('stream_interrupted');
    expect(s.lanes[0]?.parts.overview.text).toBe('abc');
  });

  it('stop (Escape) ends the answer; late events are ignored', () => {
    const s = run([
      meta(koLane),
      { event: 'delta', data: { lane: 'ko', part: 'overview', text: 'abc' } },
      { event: 'stopped' },
      { event: 'delta', data: { lane: 'ko', part: 'overview', text: 'def' } },
      { event: 'done', data: { messageId: 'm2', status: 'complete', usage, costUsd: 0 } },
    ]);
    expect(s.phase).toBe('stopped');
    expect(s.lanes[0]?.parts.overview).toMatchObject({ text: 'abc', phase: 'partial' });
  });

  it('two lanes (staff + customer) stream independently, in meta order', () => {
    const s = run([
      meta([
        { lane: 'ko', role: 'staff' },
        { lane: 'en', role: 'customer' },
      ]),
      { event: 'delta', data: { lane: 'en', part: 'overview', text: 'Refunds ' } },
      { event: 'delta', data: { lane: 'ko', part: 'overview', text: '환불' } },
      { event: 'part_end', data: { lane: 'en', part: 'overview', model: 'm', usage, latencyMs: 1, costUsd: 0, status: 'complete' } },
      { event: 'delta', data: { lane: 'en', part: 'detail', text: 'In detail' } },
    ]);
    expect(s.lanes.map((l) => [l.lane, l.role])).toEqual([
      ['ko', 'staff'],
      ['en', 'customer'],
    ]);
    const [ko, en] = s.lanes;
    expect(ko?.parts.overview.text).toBe('환불');
    expect(en?.parts.overview.phase).toBe('complete');
    expect(en?.parts.detail.text).toBe('In detail');
    expect(isActivePart(s, ko!, 'overview')).toBe(true);
    expect(isActivePart(s, en!, 'detail')).toBe(true);
  });

  it('a delta for a lane meta did not announce still shows', () => {
    const s = run([{ event: 'delta', data: { lane: 'ja', part: 'overview', text: 'こんにちは' } }]);
    expect(s.lanes[0]?.lane).toBe('ja');
    expect(s.lanes[0]?.parts.overview.text).toBe('こんにちは');
  });

  it('keeps the translated question from meta', () => {
    const s = run([
      {
        event: 'meta',
        data: {
          conversationId: 'c1',
          messageId: 'm2',
          userMessageId: 'm1',
          detectedLanguage: 'en',
          translatedQuestion: '아리아를 위해 산 스타더스트를 환불할 수 있나요?',
          lanes: [
            { lane: 'ko', role: 'staff' },
            { lane: 'en', role: 'customer' },
          ],
        },
      },
    ]);
    expect(s.detectedLanguage).toBe('en');
    expect(s.translatedQuestion).toBe('아리아를 위해 산 스타더스트를 환불할 수 있나요?');
    expect(run([meta(koLane)]).translatedQuestion).toBeNull();
  });

  it('puts glossary_mismatch terms on their part (once each), not among the notices', () => {
    const twoLanes = meta([
      { lane: 'ko', role: 'staff' },
      { lane: 'en', role: 'customer' },
    ]);
    const mismatch = (part: 'overview' | 'detail', terms: unknown): StreamAction => ({
      event: 'warning',
      data: { code: 'glossary_mismatch', message: 'The English overview does not follow the glossary.', lane: 'en', part, terms } as never,
    });
    const s = run([
      twoLanes,
      { event: 'delta', data: { lane: 'en', part: 'overview', text: 'Ari can refund SD.' } },
      mismatch('overview', [
        { term: 'aria', expected: 'Aria', found: 'Ari' },
        { term: 'stardust', expected: 'Stardust', found: 'SD' },
      ]),
      mismatch('detail', [{ term: 'refund', expected: 'refund' }]),
      // The whole-lane check can report a term again: it stays one chip line.
      mismatch('detail', [{ term: 'refund', expected: 'refund' }, { bogus: true }, { term: 'x' }]),
    ]);
    const en = s.lanes.find((l) => l.lane === 'en')!;
    expect(en.parts.overview.glossary).toEqual([
      { term: 'aria', expected: 'Aria', found: 'Ari' },
      { term: 'stardust', expected: 'Stardust', found: 'SD' },
    ]);
    expect(en.parts.overview.notices).toEqual([]);
    expect(en.parts.detail.glossary).toEqual([{ term: 'refund', expected: 'refund' }]);
    expect(s.lanes.find((l) => l.lane === 'ko')?.parts.overview.glossary).toEqual([]);
    expect(s.warnings).toEqual([]);
  });

  it('a glossary_mismatch without terms falls back to a readable notice', () => {
    const s = run([meta(koLane), { event: 'warning', data: { code: 'glossary_mismatch', message: 'x', lane: 'ko', part: 'detail' } }]);
    expect(s.lanes[0]?.parts.detail.glossary).toEqual([]);
    expect(s.lanes[0]?.parts.detail.notices).toEqual([{ code: 'glossary_mismatch', message: 'x' }]);
  });

  it('keeps lane-level warnings (offline: no passage in the lane language) with their lane', () => {
    const s = run([
      meta([
        { lane: 'ko', role: 'staff' },
        { lane: 'ja', role: 'customer' },
      ]),
      { event: 'warning', data: { code: 'translation_unavailable', message: 'offline' } },
      { event: 'warning', data: { code: 'lane_language_unavailable', message: 'no ja passage', lane: 'ja' } },
    ]);
    expect(s.lanes.map((l) => `${l.lane}:${l.role}`)).toEqual(['ko:staff', 'ja:customer']);
    expect(s.warnings).toEqual([
      { code: 'translation_unavailable', message: 'offline' },
      { code: 'lane_language_unavailable', message: 'no ja passage', lane: 'ja' },
    ]);
  });

  it('reads a stored assistant message back into the same view', () => {
    const message: StoredMessage = {
      id: 'm2',
      role: 'assistant',
      content: 'x',
      status: 'partial',
      language: 'en',
      translatedQuestion: '환불?',
      createdAt: '2026-01-01T00:00:00Z',
      lanes: [
        {
          lane: 'en',
          role: 'customer',
          parts: {
            overview: { text: 'Overview', model: 'micro', status: 'complete', usage, latencyMs: 5, costUsd: 0.1 },
            detail: { text: '', model: 'pro', status: 'failed', error: { code: 'model_denied', message: 'denied' } },
          },
        },
      ],
      references: [{ id: 'd', title: 'T', uri: 'https://x', score: 1, excerpt: 'e' }],
      feedback: null,
    };
    const a = answerFromStored(message, 'c1');
    expect(a.phase).toBe('done');
    expect(a.status).toBe('partial');
    expect(a.translatedQuestion).toBe('환불?');
    expect(a.lanes[0]?.parts.overview).toMatchObject({ text: 'Overview', phase: 'complete', model: 'micro', costUsd: 0.1 });
    expect(a.lanes[0]?.parts.detail.notices).toEqual([{ code: 'model_denied', message: 'denied' }]);
    expect(a.references).toHaveLength(1);
  });
});
