import { describe, expect, it } from 'vitest';
import type { RetrievedDocument } from '../../src/knowledge/types.js';
import type { Language } from '../../src/lang/languages.js';
import { ExtractiveAnswering, composeDetail, composeOverview, type AnswerContext } from '../../src/answering/extractive.js';
import { chunkText, splitSentences, stripMarkdown } from '../../src/answering/offline-text.js';
import type { PartRequest } from '../../src/answering/strategy.js';
import { ModelError, type AnswerPart, type ChatStreamEvent } from '../../src/models/types.js';

function doc(id: string, title: string, content: string, score = 1): RetrievedDocument {
  return { id, title, uri: `kb/${id}.md`, score, content, excerpt: content.slice(0, 80) };
}

const REFUND_KO = doc(
  'ko/refund',
  '환불 정책',
  [
    '# 환불 정책',
    '',
    '스타폴 크로니클의 유료 상품 안내 문서입니다. 이 문서는 자주 바뀔 수 있습니다.',
    '',
    '## 처리 기간',
    '',
    '환불이 승인되면 영업일 기준 3~5일 안에 처리됩니다. 카드사에 따라 최대 7영업일이 걸릴 수 있습니다.',
    '',
    '## 캐릭터',
    '',
    '아리아는 별빛 활을 쓰는 원거리 딜러이며 처음부터 사용할 수 있습니다.',
  ].join('\n'),
  3,
);

const REFUND_EN = doc(
  'en/refund',
  'Refunds and Payment Policy',
  [
    '# Refunds and Payment Policy',
    '',
    'Starfall Chronicles sells Stardust, the Star Pass and bundles in the [web shop](https://shop.example.com).',
    '',
    '## Processing time',
    '',
    '**Approved refunds** are processed within 3-5 business days. Depending on your card issuer, the money can take up to 7 business days to appear.',
    '',
    '## Characters',
    '',
    'Aria is a ranged damage dealer with a starlight bow, available from the start.',
    'Kael is a melee blademaster who is unlocked after main story Chapter 2.',
  ].join('\n'),
  3,
);

const MAINTENANCE_EN = doc(
  'en/maintenance',
  '## Maintenance [schedule](https://example.com/m)',
  'Regular maintenance runs every Wednesday from 10:00 to 12:00 KST. Compensation of 300 free Stardust is sent by in-game mail after emergency maintenance.',
  1,
);

function context(question: string, language: Language, part: AnswerPart, documents: RetrievedDocument[]): AnswerContext {
  return { question, language, part, documents };
}

/** A part request for the extractive strategy; without a context, an English overview with no passages. */
function request(ctx: AnswerContext | undefined, signal = new AbortController().signal): PartRequest {
  const { question, language, part, documents } = ctx ?? {
    question: 'hello?',
    language: 'en' as const,
    part: 'overview' as const,
    documents: [],
  };
  return {
    modelId: 'offline',
    lane: language,
    part,
    question,
    turns: [{ role: 'user', text: question }],
    documents,
    inference: { maxTokens: 1024, temperature: 0 },
    signal,
  };
}

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<{ deltas: string[]; end?: ChatStreamEvent }> {
  const deltas: string[] = [];
  let end: ChatStreamEvent | undefined;
  for await (const event of stream) {
    if (event.type === 'delta') deltas.push(event.text);
    else end = event;
  }
  return end ? { deltas, end } : { deltas };
}

describe('offline extractive overview', () => {
  it('quotes the sentences of the top passage that answer the question, labelled in Korean', () => {
    const text = composeOverview(context('환불 처리는 며칠 걸리나요?', 'ko', 'overview', [REFUND_KO]));
    const [notice, , ...body] = text.split('\n');
    expect(notice).toBe('※ 생성형 모델 없이 문서에서 발췌한 답변입니다.');
    expect(body.join('\n')).toContain('환불이 승인되면 영업일 기준 3~5일 안에 처리됩니다.');
    expect(body.join('\n')).not.toContain('아리아');
  });

  it('labels itself in English and strips markdown and links', () => {
    const text = composeOverview(context('How long does a refund take to be processed?', 'en', 'overview', [MAINTENANCE_EN, REFUND_EN]));
    expect(text.startsWith('Note: extracted from the knowledge base — no model generated this answer.\n\n')).toBe(true);
    expect(text).toContain('Approved refunds are processed within 3-5 business days.');
    expect(text).not.toMatch(/\*\*|\]\(|https?:|#/);
    expect(text).not.toContain('Aria');
    expect(text).not.toContain('maintenance');
  });

  it('has a notice in Japanese and Chinese too', () => {
    expect(composeOverview(context('refund', 'ja', 'overview', [REFUND_EN]))).toMatch(/^※ 生成モデルを使わず/);
    expect(composeOverview(context('refund', 'zh', 'overview', [REFUND_EN]))).toMatch(/^※ 本回答摘录自知识库文档/);
  });

  it('falls back to the opening sentences when nothing overlaps the question', () => {
    const text = composeOverview(context('zzz qqq', 'en', 'overview', [REFUND_EN]));
    expect(text).toContain('Starfall Chronicles sells Stardust, the Star Pass and bundles in the web shop.');
  });

  it('never quotes more than three sentences', () => {
    const long = doc('long', 'Long', Array.from({ length: 12 }, (_, i) => `Refund rule number ${i} applies to refund requests.`).join(' '));
    const body = composeOverview(context('refund rule', 'en', 'overview', [long])).split('\n\n')[1] ?? '';
    expect(splitSentences(body).length).toBeLessThanOrEqual(3);
    expect(splitSentences(body).length).toBeGreaterThanOrEqual(2);
  });
});

describe('offline extractive detail', () => {
  it('digests each document under its own heading and ends by pointing to the references', () => {
    const text = composeDetail(context('refund maintenance Stardust', 'en', 'detail', [REFUND_EN, MAINTENANCE_EN]));
    expect(text).toContain('### Refunds and Payment Policy\n\n- ');
    expect(text).toContain('### Maintenance schedule\n\n- ');
    expect(text.trim().split('\n').at(-1)).toBe('For the full text, see the references listed with this answer.');
    expect(text).not.toMatch(/\]\(|https?:|\*\*/);
    for (const section of text.split('### ').slice(1)) {
      const bullets = section.split('\n').filter((line) => line.startsWith('- '));
      expect(bullets.length).toBeGreaterThanOrEqual(1);
      expect(bullets.length).toBeLessThanOrEqual(4);
    }
  });

  it('continues the overview instead of repeating it', () => {
    const question = 'How long does a refund take to be processed?';
    const overview = composeOverview(context(question, 'en', 'overview', [REFUND_EN]));
    const detail = composeDetail(context(question, 'en', 'detail', [REFUND_EN]));
    const quoted = overview.split('\n\n')[1] ?? '';
    for (const sentence of splitSentences(quoted)) expect(detail).not.toContain(sentence.text);
  });

  it('quotes only text found in the documents', () => {
    const text = composeDetail(context('refund', 'ko', 'detail', [REFUND_KO]));
    const source = stripMarkdown(REFUND_KO.content.replace(/\n/g, ' '));
    for (const line of text.split('\n').filter((l) => l.startsWith('- '))) {
      expect(source).toContain(line.slice(2));
    }
  });
});

describe('ExtractiveAnswering', () => {
  it('streams many small deltas that add up to the composed answer, then a zero-usage end', async () => {
    const ctx = context('How long does a refund take?', 'en', 'detail', [REFUND_EN, MAINTENANCE_EN]);
    const { deltas, end } = await collect(new ExtractiveAnswering().stream(request(ctx)));
    expect(deltas.join('')).toBe(composeDetail(ctx));
    expect(deltas.length).toBeGreaterThan(10);
    for (const delta of deltas) expect(delta.trim().split(/\s+/).length).toBeLessThanOrEqual(3);
    expect(end).toMatchObject({
      type: 'end',
      stopReason: 'end_turn',
      usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
    });
  });

  it('yields to the event loop between chunks without timers', async () => {
    let turns = 0;
    let running = true;
    const spin = (): void => {
      turns += 1;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    const started = performance.now();
    const { deltas } = await collect(new ExtractiveAnswering().stream(request(context('refund', 'en', 'detail', [REFUND_EN]))));
    running = false;
    expect(turns).toBeGreaterThanOrEqual(deltas.length / 2);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('throws cancelled when aborted mid-stream', async () => {
    const controller = new AbortController();
    const seen: string[] = [];
    const stream = new ExtractiveAnswering().stream(request(context('refund', 'en', 'overview', [REFUND_EN]), controller.signal));
    const error = await (async () => {
      try {
        for await (const event of stream) {
          if (event.type === 'delta') seen.push(event.text);
          if (seen.length === 2) controller.abort();
        }
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).code).toBe('cancelled');
    expect(seen).toHaveLength(2);
  });

  it('refuses an already aborted call', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect(new ExtractiveAnswering().stream(request(undefined, controller.signal)))).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('says honestly that it cannot answer without documents or context', async () => {
    const none = await collect(new ExtractiveAnswering().stream(request(context('환불?', 'ko', 'overview', []))));
    expect(none.deltas.join('')).toContain('찾지 못해');
    expect(none.end?.type).toBe('end');
    const noContext = await collect(new ExtractiveAnswering().stream(request(undefined)));
    expect(noContext.deltas.join('')).toMatch(/no model is configured/);
    const detail = await collect(new ExtractiveAnswering().stream(request(context('refund', 'en', 'detail', []))));
    expect(detail.deltas.join('')).toBe('There are no reference documents to summarise.');
  });
});

describe('offline text helpers', () => {
  it('chunks text into a few words and keeps every character', () => {
    const text = '환불이 승인되면 영업일 기준 3~5일 안에 처리됩니다.\n\n- Approved refunds are processed.';
    const chunks = chunkText(text);
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(3);
    const cjk = chunkText('返金が承認されると、営業日基準で三日から五日以内に処理されます。');
    expect(cjk.length).toBeGreaterThan(4);
    expect(cjk.join('')).toBe('返金が承認されると、営業日基準で三日から五日以内に処理されます。');
  });

  it('strips markdown noise from a line', () => {
    expect(stripMarkdown('## See the [refund page](https://x.example/r) for **details** and `codes`')).toBe(
      'See the refund page for details and codes',
    );
    expect(stripMarkdown('1. Open ![icon](i.png) Settings > Account')).toBe('Open Settings > Account');
  });
});
