import { mkdtempSync, rmSync } from 'node:fs';
import { toChatEvent } from '../../src/server/http/chat-events.js';
import { GenerativeAnswering } from '../../src/answering/generative.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatService, type ChatServiceDependencies } from '../../src/chat/answer-question.js';
import type { ChatEvent } from '../../src/contract/chat.js';
import { loadGlossaryFile } from '../../src/glossary/load.js';
import { RetrievalError, type RetrievedDocument, type Retriever } from '../../src/knowledge/types.js';
import { createLogger } from '../../src/log/logger.js';
import { ModelError, type ChatRequest } from '../../src/models/types.js';
import { PromptBuilder } from '../../src/prompts/builder.js';
import { ConversationRepository } from '../../src/store/conversations.js';
import { openStore, type Store } from '../../src/store/database.js';
import { documentsPerLane, siblingIds } from '../../src/retrieval/lane-documents.js';
import { QuestionTranslator } from '../../src/translate/question.js';
import { UsageLedger } from '../../src/usage/ledger.js';
import { gate, ScriptedModel, type Step } from '../helpers/scripted-model.js';

const glossary = loadGlossaryFile(path.resolve('kb/glossary.json'));
const prompts = new PromptBuilder(glossary);
const inference = { maxTokens: 100, temperature: 0.3 };
const doc = (id: string, title: string, content: string): RetrievedDocument => ({
  id,
  title,
  uri: `kb://${id}`,
  score: 1,
  content,
  excerpt: content.slice(0, 40),
});
const EN = [
  doc('en/refund.md#1', 'Refund policy', 'Unused Stardust can be refunded within 7 days.'),
  doc('en/refund.md#2', 'Refund policy', 'Paid Stardust only.'),
];
const KO = [
  doc('ko/refund.md#1', '환불 정책', '사용하지 않은 스타더스트는 7일 안에 환불됩니다.'),
  doc('en/refund.md#1', 'Refund policy', 'Unused Stardust can be refunded within 7 days.'),
];

let dataDir: string;
let store: Store;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-bilingual-'));
  store = await openStore({ dataDir });
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Search {
  query: string;
  at: number;
}

function recordingRetriever(answer: (query: string) => RetrievedDocument[] | Error): Retriever & { searches: Search[] } {
  const searches: Search[] = [];
  return {
    source: 'local',
    searches,
    retrieve: async (query) => {
      searches.push({ query, at: performance.now() });
      const result = answer(query);
      if (result instanceof Error) throw result;
      return result;
    },
  };
}

/** Answers by language: translation requests get `translation`, lanes answer in their language. */
function languageScript(translation: Step[], lanes: Partial<Record<string, Step[]>> = {}) {
  return (request: ChatRequest): Step[] => {
    if (request.label === undefined) return translation;
    const lane = request.label.lane;
    return lanes[`${lane}.${request.label.part}`] ?? lanes[lane] ?? [`${lane} ${request.label.part} `, 'text'];
  };
}

function service(model: ScriptedModel, retriever: Retriever, extra: Partial<ChatServiceDependencies> = {}) {
  return new ChatService({
    conversations: new ConversationRepository(store.db),
    ledger: new UsageLedger(store.db),
    retriever,
    relay: {
      models: {
        overview: { answering: new GenerativeAnswering(model, () => prompts), modelId: 'fast', inference },
        detail: { answering: new GenerativeAnswering(model, () => prompts), modelId: 'slow', inference },
      },
      historyTokenBudget: 1000,
      price: () => 0.25,
    },
    staffLanguage: 'ko',
    retrieveTopK: 4,
    logger: createLogger('silent'),
    questionTranslator: new QuestionTranslator({
      model: { model, modelId: 'fast' },
      prompts: () => prompts,
      timeoutMs: 2000,
      price: () => 0.125,
    }),
    glossary: () => glossary,
    ...extra,
  });
}

async function ask(chat: ChatService, message: string, answerLanguage: 'auto' | 'ko' | 'en' = 'auto') {
  const events: ChatEvent[] = [];
  await chat.answer({ message, uiLanguage: 'en', answerLanguage, userId: null, signal: new AbortController().signal }, (event) =>
    events.push(toChatEvent(event)),
  );
  return events;
}

const warnings = (events: ChatEvent[]) => events.flatMap((e) => (e.event === 'warning' ? [e.data] : []));

describe('bilingual answers (ChatService)', () => {
  it('searches with the original at once and the translation when ready, merges by RRF, and puts the translation in meta', async () => {
    const translationGate = gate();
    const model = new ScriptedModel(languageScript([{ wait: translationGate.promise }, '스타더스트 환불은 어떻게 하나요?']));
    const retriever = recordingRetriever((query) => (/[가-힣]/u.test(query) ? KO : EN));
    const chat = service(model, retriever);
    const events: ChatEvent[] = [];
    const run = chat.answer(
      {
        message: 'How do I get a Stardust refund?',
        uiLanguage: 'en',
        answerLanguage: 'auto',
        userId: null,
        signal: new AbortController().signal,
      },
      (e) => events.push(toChatEvent(e)),
    );
    await new Promise((r) => setTimeout(r, 30));
    // The original search ran while the translation was still pending; nothing was sent yet.
    expect(retriever.searches.map((s) => s.query)).toEqual(['How do I get a Stardust refund?']);
    expect(events).toEqual([]);
    translationGate.open();
    await run;

    expect(retriever.searches.map((s) => s.query)).toEqual(['How do I get a Stardust refund?', '스타더스트 환불은 어떻게 하나요?']);
    expect(events[0]).toMatchObject({
      event: 'meta',
      data: {
        detectedLanguage: 'en',
        translatedQuestion: '스타더스트 환불은 어떻게 하나요?',
        lanes: [
          { lane: 'ko', role: 'staff' },
          { lane: 'en', role: 'customer' },
        ],
      },
    });
    const references = events.find((e) => e.event === 'references');
    expect(references?.event === 'references' && references.data.documents.map((d) => d.id)).toEqual([
      'en/refund.md#1',
      'ko/refund.md#1',
      'en/refund.md#2',
    ]);

    // Five model calls: the translation, then four relay parts started together.
    expect(model.calls).toHaveLength(5);
    const relayCalls = model.calls.filter((c) => c.request.label !== undefined);
    expect(relayCalls.map((c) => `${c.request.label?.lane}.${c.request.label?.part}`).sort()).toEqual([
      'en.detail',
      'en.overview',
      'ko.detail',
      'ko.overview',
    ]);
    // Each lane's prompt names the glossary terms in its own language.
    const koPrompt = relayCalls.find((c) => c.request.label?.lane === 'ko')?.request.dynamicSystem ?? '';
    const enPrompt = relayCalls.find((c) => c.request.label?.lane === 'en')?.request.dynamicSystem ?? '';
    expect(koPrompt).toContain('Glossary names for this answer (write them exactly like this in Korean):');
    expect(koPrompt).toMatch(/^- 스타더스트 \(for: Stardust/mu);
    expect(enPrompt).toMatch(/^- Stardust \(for: 스타더스트/mu);

    const done = events.at(-1);
    expect(done?.event).toBe('done');
    // Four parts at 0.25 plus the translation at 0.125.
    expect(done?.event === 'done' && done.data.costUsd).toBe(1.125);
    const meta = events[0]?.event === 'meta' ? events[0].data : undefined;
    const rows = await store.db
      .selectFrom('usage')
      .selectAll()
      .where('message_id', '=', meta?.messageId ?? '')
      .execute();
    expect(rows.map((r) => r.purpose).sort()).toEqual(['detail', 'detail', 'overview', 'overview', 'translate-question']);
    expect(rows.find((r) => r.purpose === 'translate-question')).toMatchObject({
      lane: 'ko',
      model_id: 'fast',
      status: 'complete',
      cost_usd: 0.125,
    });
    const stored = await new ConversationRepository(store.db).findMessage(meta?.messageId ?? '');
    expect(stored?.translatedQuestion).toBe('스타더스트 환불은 어떻게 하나요?');
  });

  it('answers from the original question with a warning when the translation fails', async () => {
    const model = new ScriptedModel(languageScript([{ fail: new ModelError('throttled', 'Bedrock is throttling calls to fast.') }]));
    const retriever = recordingRetriever(() => EN);
    const events = await ask(service(model, retriever), 'How do I get a Stardust refund?');
    expect(events[0]?.event).toBe('meta');
    expect(events[0]?.event === 'meta' && events[0].data.translatedQuestion).toBeUndefined();
    expect(warnings(events)).toContainEqual({
      code: 'translation_failed',
      message: 'Translation failed: Bedrock is throttling calls to fast. Answering from the original question only.',
    });
    expect(retriever.searches).toHaveLength(1);
    expect(events.filter((e) => e.event === 'part_end')).toHaveLength(4);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  });

  it('does not wait longer than the translation timeout', async () => {
    const never = gate();
    const model = new ScriptedModel(languageScript([{ wait: never.promise }, 'late']));
    const chat = service(
      model,
      recordingRetriever(() => EN),
      {
        questionTranslator: new QuestionTranslator({
          model: { model, modelId: 'fast' },
          prompts: () => prompts,
          timeoutMs: 40,
          price: () => 0,
        }),
      },
    );
    const started = performance.now();
    const events = await ask(chat, 'How do I get a Stardust refund?');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(warnings(events).find((w) => w.code === 'translation_failed')?.message).toMatch(/did not answer within 0\.04 s/);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  });

  it('answers from one search when the other fails, with a warning', async () => {
    const model = new ScriptedModel(languageScript(['환불 방법']));
    const retriever = recordingRetriever((query) => (query === '환불 방법' ? new RetrievalError('unavailable', 'The index is busy.') : EN));
    const events = await ask(service(model, retriever), 'How do refunds work?');
    expect(warnings(events)).toContainEqual({
      code: 'retrieval_partial',
      message: 'The search with the translated question failed (The index is busy.); answering from the other search only.',
    });
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete' } });
  });

  it('fails clearly (not "no documents") when every search fails', async () => {
    const model = new ScriptedModel(languageScript(['환불 방법']));
    const events = await ask(
      service(
        model,
        recordingRetriever(() => new RetrievalError('denied', 'Access denied to the knowledge base.')),
      ),
      'How do refunds work?',
    );
    expect(events.find((e) => e.event === 'error')).toEqual({
      event: 'error',
      data: { code: 'retrieval_denied', message: 'Access denied to the knowledge base.' },
    });
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'failed' } });
  });

  it('does not translate a question in the staff language, even when the answer is in English', async () => {
    const model = new ScriptedModel(languageScript(['should not be called']));
    const retriever = recordingRetriever(() => KO);
    const events = await ask(service(model, retriever), '스타더스트 환불 되나요?', 'en');
    expect(model.calls.every((c) => c.request.label !== undefined)).toBe(true);
    expect(retriever.searches).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event: 'meta',
      data: {
        detectedLanguage: 'ko',
        lanes: [
          { lane: 'ko', role: 'staff' },
          { lane: 'en', role: 'customer' },
        ],
      },
    });
  });

  it('warns after a part whose glossary names are wrong, with the terms', async () => {
    const model = new ScriptedModel(
      languageScript(['스타더스트 환불'], {
        'ko.overview': ['사용하지 않은 Stardust는 7일 안에 환불됩니다.'],
        'ko.detail': ['### 조건\n스타더스트만 환불됩니다.'],
        en: ['Unused Stardust can be refunded within 7 days.'],
      }),
    );
    const events = await ask(
      service(
        model,
        recordingRetriever(() => EN),
      ),
      'Can I get a refund for Stardust?',
    );
    const mismatch = warnings(events).filter((w) => w.code === 'glossary_mismatch');
    expect(mismatch).toEqual([
      {
        code: 'glossary_mismatch',
        message: 'The Korean overview does not follow the glossary: "Stardust" should be "스타더스트".',
        lane: 'ko',
        part: 'overview',
        terms: [{ term: 'stardust', expected: '스타더스트', found: 'Stardust' }],
      },
    ]);
    // The warning follows the part_end it is about.
    const at = events.findIndex((e) => e.event === 'warning' && e.data.code === 'glossary_mismatch');
    expect(events[at - 1]).toMatchObject({ event: 'part_end', data: { lane: 'ko', part: 'overview' } });
  });

  it('keeps the staff lane complete when the customer lane fails', async () => {
    const model = new ScriptedModel(
      languageScript(['환불'], { en: [{ fail: new ModelError('unavailable', 'Bedrock could not complete the answer.') }] }),
    );
    const events = await ask(
      service(
        model,
        recordingRetriever(() => EN),
      ),
      'How do refunds work?',
    );
    const ends = events.flatMap((e) => (e.event === 'part_end' ? [`${e.data.lane}.${e.data.part}:${e.data.status}`] : []));
    expect(ends.sort()).toEqual(['en.detail:failed', 'en.overview:failed', 'ko.detail:complete', 'ko.overview:complete']);
    expect(
      warnings(events)
        .filter((w) => w.code === 'part_failed')
        .map((w) => [w.lane, w.part]),
    ).toEqual([
      ['en', 'overview'],
      ['en', 'detail'],
    ]);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: { status: 'partial' } });
  });
});

describe('offline lanes: passages in each lane language', () => {
  it('finds the same topic in another language folder', () => {
    expect(siblingIds('en/refund-policy.md', 'ko')).toEqual(['ko/refund-policy.md']);
    expect(siblingIds('docs/ja/faq/login.md', 'en')).toEqual(['docs/en/faq/login.md']);
    expect(siblingIds('refund.en.md', 'ko')).toEqual(['refund.ko.md']);
    expect(siblingIds('refund_en.txt', 'zh')).toEqual(['refund_zh.txt']);
    expect(siblingIds('english/refund.md', 'ko')).toEqual([]);
  });

  it('uses own-language passages, then same-topic documents, then says it quotes another language', async () => {
    const koPassage = doc('ko/refund.md#2', '환불 정책', '스타더스트 환불은 결제 후 7일 이내에 가능합니다.');
    const retrieve = async (query: string) =>
      query.includes('환불') || query.includes('스타더스트') ? [koPassage, EN[0] as RetrievedDocument] : [];
    const result = await documentsPerLane({
      lanes: ['ko', 'en', 'ja'],
      question: 'Can I get a refund for Stardust?',
      documents: EN,
      glossary,
      limit: 3,
      retrieve,
      catalogue: [
        { id: 'en/refund.md', title: 'Refund policy' },
        { id: 'ko/refund.md', title: '환불 정책' },
      ],
    });
    expect(result.sources).toEqual({ ko: 'cross-language', en: 'own-language', ja: 'other-language' });
    expect(result.byLane.ko?.map((d) => d.id)).toEqual(['ko/refund.md#2']);
    expect(result.byLane.en?.map((d) => d.id)).toEqual(['en/refund.md#1', 'en/refund.md#2']);
    expect(result.byLane.ja?.map((d) => d.id)).toEqual(['en/refund.md#1', 'en/refund.md#2']);
  });

  it('answers each lane from its own language offline and says translation needs a model', async () => {
    const model = new ScriptedModel(languageScript(['never']));
    const mixed = [EN[0] as RetrievedDocument, doc('ko/refund.md#1', '환불 정책', '사용하지 않은 스타더스트는 7일 안에 환불됩니다.')];
    const chat = service(
      model,
      recordingRetriever(() => mixed),
      { questionTranslator: undefined, withoutTranslation: { reason: 'offline mode has no model that can translate' } },
    );
    const events = await ask(chat, 'Can I get a refund for Stardust?');
    expect(warnings(events)[0]?.code).toBe('translation_unavailable');
    expect(warnings(events)[0]?.message).toMatch(/^Nothing was translated: offline mode has no model that can translate\./);
    // Each lane's prompt carries the passages in its own language only.
    const promptOf = (lane: string) => model.calls.find((c) => c.request.label?.lane === lane)?.request.dynamicSystem ?? '';
    expect(promptOf('ko')).toContain('사용하지 않은 스타더스트는 7일 안에 환불됩니다.');
    expect(promptOf('ko')).not.toContain(EN[0]!.content);
    expect(promptOf('en')).toContain(EN[0]!.content);
    expect(promptOf('en')).not.toContain('사용하지 않은 스타더스트는 7일 안에 환불됩니다.');
    // No glossary check offline: extractive answers quote the passages as they are.
    expect(warnings(events).some((w) => w.code === 'glossary_mismatch')).toBe(false);
  });
});
