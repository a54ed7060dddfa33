import { describe, expect, it } from 'vitest';
import { GenerativeAnswering } from '../../src/answering/generative.js';
import type { RetrievedDocument } from '../../src/knowledge/types.js';
import { ModelError, type ChatRequest } from '../../src/models/types.js';
import { PromptBuilder } from '../../src/prompts/builder.js';
import { planLanes } from '../../src/relay/plan.js';
import { runRelay } from '../../src/relay/relay.js';
import type { RelayEvent, RelayModels } from '../../src/relay/types.js';
import { gate, ScriptedModel, type Step } from '../helpers/scripted-model.js';

const doc: RetrievedDocument = {
  id: 'refund.md#1',
  title: 'Refunds',
  uri: 'kb://refund.md',
  score: 3,
  content: 'Refunds within 7 days.',
  excerpt: 'Refunds within 7 days.',
};
const inference = { maxTokens: 100, temperature: 0.3 };

function relayWith(model: ScriptedModel): RelayModels {
  const answering = new GenerativeAnswering(model, () => new PromptBuilder(null));
  return { overview: { answering, modelId: 'fast', inference }, detail: { answering, modelId: 'slow', inference } };
}

function deps(model: ScriptedModel) {
  return { models: relayWith(model), historyTokenBudget: 1000, price: () => 0.5 };
}

function byPart(scripts: { overview: Step[]; detail: Step[] }) {
  return (request: ChatRequest): Step[] => (request.label?.part === 'detail' ? scripts.detail : scripts.overview);
}

function summarize(events: RelayEvent[]): string[] {
  return events.map((e) =>
    e.type === 'delta'
      ? `${e.lane}.${e.part}:${e.text}`
      : e.type === 'part_end'
        ? `${e.result.lane}.${e.result.part}:end(${e.result.status})`
        : `warning:${e.part ?? ''}`,
  );
}

const request = (signal = new AbortController().signal) => ({
  lanes: planLanes('ko', 'ko'),
  question: '환불 되나요?',
  history: [],
  documents: [doc],
  signal,
});

describe('relay', () => {
  it('streams the overview first, holds the detail, flushes it at once, then streams it live', async () => {
    const overviewGate = gate();
    const detailMore = gate();
    const events: RelayEvent[] = [];
    let flushSeenAt = -1;
    const model = new ScriptedModel(
      byPart({
        overview: ['O1 ', { wait: overviewGate.promise }, 'O2'],
        detail: ['D1 ', 'D2 ', { wait: detailMore.promise }, 'D3'],
      }),
    );
    const run = runRelay(request(), deps(model), (e) => {
      events.push(e);
      if (e.type === 'delta' && e.part === 'detail' && flushSeenAt < 0) {
        flushSeenAt = events.length;
        detailMore.open();
      }
    });
    await new Promise((r) => setTimeout(r, 20));
    // Detail already produced two deltas, but none may be sent while the overview is speaking.
    expect(summarize(events)).toEqual(['ko.overview:O1 ']);
    overviewGate.open();
    await run;
    expect(summarize(events)).toEqual([
      'ko.overview:O1 ',
      'ko.overview:O2',
      'ko.overview:end(complete)',
      'ko.detail:D1 D2 ',
      'ko.detail:D3',
      'ko.detail:end(complete)',
    ]);
    expect(model.calls).toHaveLength(2);
  });

  it('starts both calls before any delta is emitted', async () => {
    const model = new ScriptedModel(byPart({ overview: ['a'], detail: ['b'] }));
    let callsAtFirstDelta = -1;
    await runRelay(request(), deps(model), (e) => {
      if (e.type === 'delta' && callsAtFirstDelta < 0) callsAtFirstDelta = model.calls.length;
    });
    expect(callsAtFirstDelta).toBe(2);
  });

  it('defers a detail that finished early until after the overview ends', async () => {
    const overviewGate = gate();
    const events: RelayEvent[] = [];
    const model = new ScriptedModel(byPart({ overview: [{ wait: overviewGate.promise }, 'O'], detail: ['D'] }));
    const run = runRelay(request(), deps(model), (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual([]);
    overviewGate.open();
    await run;
    expect(summarize(events)).toEqual(['ko.overview:O', 'ko.overview:end(complete)', 'ko.detail:D', 'ko.detail:end(complete)']);
  });

  it('still delivers the detail when the overview fails, with a warning', async () => {
    const events: RelayEvent[] = [];
    const model = new ScriptedModel(byPart({ overview: ['O', { fail: new ModelError('throttled', 'Too many requests') }], detail: ['D'] }));
    const parts = await runRelay(request(), deps(model), (e) => events.push(e));
    expect(summarize(events)).toEqual([
      'ko.overview:O',
      'warning:overview',
      'ko.overview:end(partial)',
      'ko.detail:D',
      'ko.detail:end(complete)',
    ]);
    const overview = parts.find((p) => p.part === 'overview');
    expect(overview?.error?.code).toBe('model_throttled');
    expect(overview?.text).toBe('O');
  });

  it('still delivers the overview when the detail fails', async () => {
    const events: RelayEvent[] = [];
    const model = new ScriptedModel(byPart({ overview: ['O'], detail: [{ fail: new ModelError('denied', 'Access denied') }] }));
    await runRelay(request(), deps(model), (e) => events.push(e));
    const ordered = summarize(events);
    expect(ordered.filter((e) => !e.startsWith('warning'))).toEqual([
      'ko.overview:O',
      'ko.overview:end(complete)',
      'ko.detail:end(failed)',
    ]);
    expect(ordered.filter((e) => e === 'warning:detail')).toHaveLength(1);
  });

  it('aborts every upstream call when the client goes away', async () => {
    const never = gate();
    const controller = new AbortController();
    const model = new ScriptedModel(byPart({ overview: ['O', { wait: never.promise }], detail: [{ wait: never.promise }] }));
    const events: RelayEvent[] = [];
    const run = runRelay(request(controller.signal), deps(model), (e) => events.push(e));
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    const parts = await run;
    expect(model.calls.every((c) => c.request.signal.aborted)).toBe(true);
    expect(parts.map((p) => p.status)).toEqual(['partial', 'failed']);
    expect(events.some((e) => e.type === 'warning')).toBe(false);
  });

  it('answers without any model call when no documents were found', async () => {
    const model = new ScriptedModel(() => ['never']);
    const events: RelayEvent[] = [];
    const parts = await runRelay({ ...request(), lanes: planLanes('en', 'ko'), documents: [] }, deps(model), (e) => events.push(e));
    expect(model.calls).toHaveLength(0);
    const texts = events.flatMap((e) => (e.type === 'delta' ? [`${e.lane}:${e.text.slice(0, 5)}`] : []));
    expect(texts).toEqual(['ko:죄송합니다', 'en:Sorry']);
    expect(parts.filter((p) => p.part === 'detail').every((p) => p.status === 'skipped')).toBe(true);
  });

  it('runs two lanes with all four calls concurrent and a failing lane isolated', async () => {
    const model = new ScriptedModel((req) =>
      req.label?.lane === 'en' ? [{ fail: new ModelError('unavailable', 'down') }] : [`${req.label?.part}`],
    );
    const events: RelayEvent[] = [];
    const parts = await runRelay({ ...request(), lanes: planLanes('en', 'ko') }, deps(model), (e) => events.push(e));
    expect(model.calls).toHaveLength(4);
    expect(parts.filter((p) => p.lane === 'ko').map((p) => p.status)).toEqual(['complete', 'complete']);
    expect(parts.filter((p) => p.lane === 'en').map((p) => p.status)).toEqual(['failed', 'failed']);
    expect(events.filter((e) => e.type === 'warning')).toHaveLength(2);
  });

  it('sends each lane its own language instruction and the same cached prefix', async () => {
    const model = new ScriptedModel(() => ['x']);
    await runRelay({ ...request(), lanes: planLanes('en', 'ko') }, deps(model), () => undefined);
    const prefixes = new Set(model.calls.map((c) => c.request.staticSystem));
    expect(prefixes.size).toBe(1);
    const en = model.calls.find((c) => c.request.label?.lane === 'en');
    expect(en?.request.dynamicSystem).toContain('in English');
  });
});
