import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFolder } from '../../src/knowledge/ingest.js';
import { LocalIndex } from '../../src/knowledge/local-index.js';
import { LocalRetriever } from '../../src/knowledge/local-retriever.js';
import { RetrievalError } from '../../src/knowledge/types.js';

const SAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../kb/sample');

describe('LocalRetriever over the shipped sample knowledge base', () => {
  let index: LocalIndex;
  let retriever: LocalRetriever;

  beforeAll(() => {
    index = new LocalIndex(':memory:');
    const result = ingestFolder(index, SAMPLE);
    expect(result.added).toBeGreaterThanOrEqual(14);
    retriever = new LocalRetriever(index);
  });
  afterAll(() => index.close());

  it.each([
    ['환불은 며칠 안에 신청해야 하나요?', 'ko/refund-policy.md'],
    ['게임이 자꾸 튕겨요', 'ko/crash-troubleshooting.md'],
    ['정기 점검 보상은 언제 받나요?', 'ko/maintenance.md'],
    ['아이폰에서 산 스타더스트가 안드로이드에서 안 보여요', 'ko/data-transfer.md'],
    ['How do I appeal a ban?', 'en/bans-and-appeals.md'],
    ['What does error E-4040 mean?', 'en/connection-problems.md'],
    ['How can I limit how much my child spends?', 'en/parental-controls.md'],
    ['Can I trade items with other players?', 'en/items-and-currency.md'],
  ])('%s → %s', async (question, expected) => {
    const [first] = await retriever.retrieve(question);
    expect(first?.id.split('#')[0]).toBe(expected);
    expect(first?.uri).toBe(`kb://${expected}`);
    expect(first?.score).toBeGreaterThan(0);
  });

  it('returns passages best first, with titles and plain-text excerpts', async () => {
    const results = await retriever.retrieve('Stardust', { limit: 3 });
    expect(results).toHaveLength(3);
    const scores = results.map((r) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    expect(new Set(results.map((r) => r.id)).size).toBe(3);
    const [refund] = await retriever.retrieve('refund Stardust');
    expect(refund?.title).toBe('Refunds and Payment Policy');
    expect(refund?.excerpt).not.toMatch(/[#*`]/u);
    expect(refund?.excerpt.length).toBeLessThanOrEqual(201);
  });

  it('returns nothing for a query with no searchable text', async () => {
    expect(await retriever.retrieve('?!')).toEqual([]);
  });

  it('rejects an already-aborted search as cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(retriever.retrieve('환불', { signal: controller.signal })).rejects.toMatchObject({
      name: 'RetrievalError',
      code: 'cancelled',
    });
  });

  it('reports a closed index as unavailable', async () => {
    const closed = new LocalIndex(':memory:');
    closed.close();
    const error = await new LocalRetriever(closed).retrieve('환불').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetrievalError);
    expect((error as RetrievalError).code).toBe('unavailable');
  });

  it('offers 4-6 sample questions in their documents’ languages', () => {
    const questions = retriever.sampleQuestions(6);
    expect(questions).toHaveLength(6);
    expect(new Set(questions.map((q) => q.language))).toEqual(new Set(['ko', 'en']));
    for (const q of questions) {
      expect(q.text.endsWith('?')).toBe(true);
      expect(/[가-힣]/u.test(q.text)).toBe(q.language === 'ko');
    }
    expect(retriever.sampleQuestions(6)).toEqual(questions);

    const korean = retriever.sampleQuestions(4, 'ko');
    expect(korean).toHaveLength(4);
    expect(korean.every((q) => q.language === 'ko')).toBe(true);
  });
});
