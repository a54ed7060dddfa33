import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors/app-error.js';
import { loadGlossaryFile } from '../../src/glossary/load.js';
import { ModelError, type ChatModel, type ChatRequest, type ChatStreamEvent } from '../../src/models/types.js';
import { PromptBuilder } from '../../src/prompts/builder.js';
import { cleanTranslation, TranslationError, translationMaxTokens } from '../../src/translate/model-translation.js';
import { QuestionTranslator } from '../../src/translate/question.js';
import { resolveTarget, Translator, type TranslatorDependencies } from '../../src/translate/translator.js';
import type { LedgerEntry, UsageLedger } from '../../src/usage/ledger.js';
import { gate, ScriptedModel, type Step } from '../helpers/scripted-model.js';

const glossary = loadGlossaryFile(path.resolve('kb/glossary.json'));
const prompts = new PromptBuilder(glossary);

function translator(model: ChatModel | null, overrides: Partial<TranslatorDependencies> = {}) {
  const rows: LedgerEntry[] = [];
  const ledger = { record: async (entry: LedgerEntry) => void rows.push(entry) } as unknown as UsageLedger;
  const service = new Translator({
    model: model ? { model, modelId: 'fast-model' } : null,
    unavailableReason: 'Translation needs a model (offline mode).',
    prompts: () => prompts,
    glossary: () => glossary,
    staffLanguage: 'ko',
    customerLanguage: 'en',
    price: () => 0.001,
    ledger,
    ...overrides,
  });
  return { service, rows };
}

const signal = () => new AbortController().signal;
const reply = (...steps: Step[]) => new ScriptedModel(() => steps);

async function failure(promise: Promise<unknown>): Promise<TranslationError | AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TranslationError || error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('target language', () => {
  it('auto: customer text → staff language; staff text → the main customer language', () => {
    expect(resolveTarget('en', 'auto', 'ko', 'en')).toBe('ko');
    expect(resolveTarget('ja', 'auto', 'ko', 'en')).toBe('ko');
    expect(resolveTarget('ko', 'auto', 'ko', 'en')).toBe('en');
    expect(resolveTarget('ko', 'auto', 'ko', 'ja')).toBe('ja');
    expect(resolveTarget('ko', 'auto', 'ko', 'ko')).toBe('en');
    expect(resolveTarget('en', 'auto', 'en', 'en')).toBe('ko');
    expect(resolveTarget('ko', 'zh', 'ko', 'en')).toBe('zh');
  });
});

describe('Translator', () => {
  it('translates staff text to the customer language with the cached prefix, and reports glossary terms', async () => {
    const model = reply('Unused ', 'Stardust bought for Aria can be refunded within 7 days.');
    const { service, rows } = translator(model);
    const result = await service.translate({
      text: '아리아에게 쓰려고 산 스타더스트는 7일 안에 환불됩니다.',
      target: 'auto',
      userId: 'u1',
      signal: signal(),
    });
    expect(result).toMatchObject({
      detectedLanguage: 'ko',
      sourceLanguage: 'ko',
      targetLanguage: 'en',
      translatedText: 'Unused Stardust bought for Aria can be refunded within 7 days.',
      glossaryViolations: [],
      model: 'fast-model',
      costUsd: 0.001,
    });
    expect(result.glossaryTerms).toEqual([
      { term: 'aria', category: 'character', source: '아리아', sourceLanguage: 'ko', expected: 'Aria', rendered: 'Aria' },
      { term: 'stardust', category: 'item', source: '스타더스트', sourceLanguage: 'ko', expected: 'Stardust', rendered: 'Stardust' },
      { term: 'refund', category: 'cs-term', source: '환불', sourceLanguage: 'ko', expected: 'refund', rendered: 'refunded' },
    ]);
    const request = model.calls[0]?.request as ChatRequest;
    expect(request.staticSystem).toBe(prompts.staticSystem);
    expect(request.dynamicSystem).toContain('from Korean into English');
    expect(request.dynamicSystem).toContain('- Stardust (for: 스타더스트');
    expect(request.messages).toEqual([{ role: 'user', text: '아리아에게 쓰려고 산 스타더스트는 7일 안에 환불됩니다.' }]);
    expect(request.inference.temperature).toBe(0);
    expect(request.label).toBeUndefined();
    expect(rows).toEqual([
      expect.objectContaining({
        purpose: 'translate-text',
        lane: 'en',
        userId: 'u1',
        modelId: 'fast-model',
        status: 'complete',
        conversationId: null,
      }),
    ]);
  });

  it('reports violations and how each term was rendered', async () => {
    const { service } = translator(reply('Ari의 SD는 7일 안에 환불됩니다.'));
    const result = await service.translate({
      text: "Aria's Stardust can get a refund within 7 days.",
      target: 'auto',
      userId: null,
      signal: signal(),
    });
    expect(result.targetLanguage).toBe('ko');
    expect(result.glossaryTerms.map((t) => [t.term, t.expected, t.rendered])).toEqual([
      ['aria', '아리아', 'Ari'],
      ['stardust', '스타더스트', 'SD'],
      ['refund', '환불', '환불'],
    ]);
    expect(result.glossaryViolations).toEqual([
      { term: 'aria', expected: '아리아', found: 'Ari', foundLanguage: 'en' },
      { term: 'stardust', expected: '스타더스트', found: 'SD', foundLanguage: 'en' },
    ]);
  });

  it('honours an explicit source and target', async () => {
    const model = reply('アリアのスターダスト');
    const { service } = translator(model);
    const result = await service.translate({ text: 'Aria Stardust', target: 'ja', source: 'en', userId: null, signal: signal() });
    expect(result).toMatchObject({ sourceLanguage: 'en', targetLanguage: 'ja', translatedText: 'アリアのスターダスト' });
    expect(model.calls[0]?.request.dynamicSystem).toContain('from English into Japanese');
  });

  it('removes labels, fences and quotes the model wraps around a translation', () => {
    expect(cleanTranslation('Translation: "Hello there"', '안녕하세요')).toBe('Hello there');
    expect(cleanTranslation('```\nHello\n```', '안녕')).toBe('Hello');
    expect(cleanTranslation('「こんにちは」', 'Hello')).toBe('こんにちは');
    expect(cleanTranslation('"Quoted"', '"인용"')).toBe('"Quoted"');
    expect(translationMaxTokens('a'.repeat(4000))).toBe(6256);
  });

  it('rejects empty, too long and letterless input before any model call', async () => {
    const model = reply('x');
    const { service } = translator(model);
    expect(await failure(service.translate({ text: '  ', target: 'auto', userId: null, signal: signal() }))).toMatchObject({
      code: 'message_empty',
      statusCode: 400,
    });
    const long = await failure(service.translate({ text: '가'.repeat(4001), target: 'auto', userId: null, signal: signal() }));
    expect(long).toMatchObject({ code: 'message_too_long', statusCode: 413 });
    expect(long.message).toContain('4000');
    expect(await failure(service.translate({ text: '12345 !!', target: 'auto', userId: null, signal: signal() }))).toMatchObject({
      code: 'nothing_to_translate',
      statusCode: 400,
    });
    expect(model.calls).toHaveLength(0);
  });

  it('is unavailable without a model (offline), with the reason', async () => {
    const { service } = translator(null);
    expect(service.available).toBe(false);
    expect(await failure(service.translate({ text: 'Hello there', target: 'auto', userId: null, signal: signal() }))).toMatchObject({
      code: 'translation_unavailable',
      statusCode: 503,
      message: 'Translation needs a model (offline mode).',
    });
  });

  it('turns model errors into clear errors, never a copy of the input, and records the failed call', async () => {
    const cases: [Step[], number, RegExp][] = [
      [
        [{ fail: new ModelError('throttled', 'Bedrock is throttling calls to fast-model; retry shortly or raise the quota.') }],
        503,
        /throttling/,
      ],
      [
        [{ fail: new ModelError('denied', 'Access to fast-model was denied: the caller needs bedrock:InvokeModelWithResponseStream') }],
        503,
        /InvokeModelWithResponseStream/,
      ],
      [[{ fail: new ModelError('invalid_request', 'Bedrock rejected the request') }], 502, /rejected/],
      [['Partly ', { fail: new ModelError('unavailable', 'The connection to Bedrock broke') }], 503, /broke/],
      [['   '], 502, /empty translation/],
      [['환불은 며칠 안에 되나요?'], 502, /unchanged/],
    ];
    for (const [steps, status, message] of cases) {
      const { service, rows } = translator(reply(...steps));
      const error = await failure(service.translate({ text: '환불은 며칠 안에 되나요?', target: 'en', userId: null, signal: signal() }));
      expect(error).toBeInstanceOf(TranslationError);
      expect(error).toMatchObject({ code: 'translation_failed', statusCode: status });
      expect(error.message).toMatch(message);
      expect(rows).toEqual([expect.objectContaining({ purpose: 'translate-text', status: 'failed' })]);
    }
  });

  it('fails a translation cut off at the token limit', async () => {
    const truncating: ChatModel = {
      provider: 'bedrock',
      async *stream(): AsyncIterable<ChatStreamEvent> {
        yield { type: 'delta', text: 'Half a trans' };
        yield {
          type: 'end',
          usage: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
          stopReason: 'max_tokens',
        };
      },
    };
    const error = await failure(
      translator(truncating).service.translate({ text: '긴 글입니다', target: 'en', userId: null, signal: signal() }),
    );
    expect(error).toMatchObject({ code: 'translation_failed', statusCode: 502 });
    expect(error.message).toMatch(/cut off/);
  });

  it('times out a model that does not answer', async () => {
    const never = gate();
    const { service } = translator(reply({ wait: never.promise }, 'late'), { timeoutMs: 30 });
    const error = await failure(service.translate({ text: '환불 되나요?', target: 'en', userId: null, signal: signal() }));
    expect(error).toMatchObject({ code: 'translation_failed', statusCode: 503 });
    expect(error.message).toMatch(/did not answer within 0\.03 s/);
  });
});

describe('QuestionTranslator', () => {
  it('returns the translation with its cost, or a failure result instead of throwing', async () => {
    const ok = new QuestionTranslator({
      model: { model: reply('환불은 어떻게 하나요?'), modelId: 'fast' },
      prompts: () => prompts,
      timeoutMs: 1000,
      price: () => 0.5,
    });
    const good = await ok.translate({ text: 'How do refunds work?', source: 'en', target: 'ko', signal: signal() });
    expect(good).toMatchObject({ ok: true, text: '환불은 어떻게 하나요?', modelId: 'fast', provider: 'bedrock', costUsd: 0.5 });

    const model = reply({ fail: new ModelError('denied', 'denied!') });
    const bad = await new QuestionTranslator({
      model: { model, modelId: 'fast' },
      prompts: () => prompts,
      timeoutMs: 1000,
      price: () => 0,
    }).translate({
      text: 'How do refunds work?',
      source: 'en',
      target: 'ko',
      signal: signal(),
    });
    expect(bad).toMatchObject({ ok: false, code: 'translation_failed', message: 'Translation failed: denied!' });
    expect(model.calls[0]?.request.dynamicSystem).toContain(
      "Translate the player's support question in the user message from English into Korean",
    );
  });
});
