import { afterAll, describe, expect, it } from 'vitest';
import { LocalIndex } from '../../src/knowledge/local-index.js';
import { LocalRetriever } from '../../src/knowledge/local-retriever.js';
import { searchTokens, toFtsQuery } from '../../src/knowledge/tokenize.js';

function makeIndex(docs: Record<string, string>): LocalIndex {
  const index = new LocalIndex(':memory:');
  for (const [id, content] of Object.entries(docs)) {
    index.putDocument({ id, title: id, uri: `kb://${id}`, content, contentHash: id, mtimeMs: 0, passages: [content] });
  }
  return index;
}

describe('searchTokens', () => {
  it('turns Hangul runs into overlapping bigrams and keeps a lone syllable', () => {
    expect(searchTokens('아마존')).toEqual(['아마', '마존']);
    expect(searchTokens('환불')).toEqual(['환불']);
    expect(searchTokens('환')).toEqual(['환']);
    expect(searchTokens('환불은 7일')).toEqual(['환불', '불은', '7', '일']);
  });

  it('lower-cases Latin words and splits scripts apart', () => {
    expect(searchTokens('PC에서 Error E-1001!')).toEqual(['pc', '에서', 'error', 'e', '1001']);
    expect(searchTokens('Starfall Blade 환불해주세요')).toEqual(['starfall', 'blade', '환불', '불해', '해주', '주세', '세요']);
  });

  it('treats kana and han as bigrams too', () => {
    expect(searchTokens('返金')).toEqual(['返金']);
    expect(searchTokens('アリア')).toEqual(['アリ', 'リア']);
  });

  it('normalises decomposed Hangul and full-width letters', () => {
    expect(searchTokens('환불'.normalize('NFD'))).toEqual(['환불']);
    expect(searchTokens('ＵＩＤ')).toEqual(['uid']);
  });
});

describe('toFtsQuery', () => {
  it('quotes every token and adds a prefix star to Latin words', () => {
    expect(toFtsQuery('환불 refund')).toBe('"환불" AND "refund"*');
    expect(toFtsQuery('환불 refund', 'or')).toBe('"환불" OR "refund"*');
  });

  it('returns null when nothing is searchable', () => {
    for (const text of ['', '   ', '?!', '"" ()', '🎮🔥', '* - + ^']) expect(toFtsQuery(text)).toBeNull();
  });

  it('drops duplicate tokens', () => {
    expect(toFtsQuery('환불 환불 REFUND refund')).toBe('"환불" AND "refund"*');
  });
});

describe('FTS5 search with the tokenizer', () => {
  const index = makeIndex({
    'survival.md': '# 생존 가이드\n\n잿빛 황야에서 생존하려면 물을 챙기세요.',
    'refund.md': '# 환불 정책\n\n결제 후 7일 이내 환불이 가능합니다. Refunds are processed in 3-5 business days.',
    'people.md': '# 등장 인물\n\n주요 인물로는 아리아와 카엘이 있습니다.',
    'english.md': '# Connection problems\n\nError E-4040 means your session expired.',
  });
  const retriever = new LocalRetriever(index);
  afterAll(() => index.close());

  it.each([
    ['생존', 'survival.md'],
    ['환불', 'refund.md'],
    ['인물', 'people.md'],
  ])('finds the two-syllable word %s', async (query, expected) => {
    const results = await retriever.retrieve(query);
    expect(results[0]?.id).toBe(`${expected}#1`);
  });

  it('matches mixed Korean and English queries', async () => {
    expect((await retriever.retrieve('환불 refund'))[0]?.id).toBe('refund.md#1');
    expect((await retriever.retrieve('E-4040 session'))[0]?.id).toBe('english.md#1');
    expect((await retriever.retrieve('REFUNDS 7일'))[0]?.id).toBe('refund.md#1');
  });

  it('matches Latin prefixes', async () => {
    expect((await retriever.retrieve('connect'))[0]?.id).toBe('english.md#1');
  });

  const hostile = [
    '"',
    '""',
    '"unterminated',
    'AND OR NOT',
    'NOT',
    'refund AND',
    'OR 환불',
    '*',
    '**refund',
    'refund*',
    '(',
    ')',
    '(환불',
    'title:환불',
    'body : "x"',
    'NEAR(a b, 2)',
    '^start',
    'a + b - c',
    '{col1 col2}:x',
    "'; DROP TABLE kb_documents; --",
    '🎮 환불 🔥',
    '\u0000\u0001 nul',
    '\\"escaped\\"',
    'x'.repeat(5000),
    '환'.repeat(3000),
  ];

  it.each(hostile.map((q) => [q.slice(0, 40), q]))('never throws on %j', async (_label, query) => {
    await expect(retriever.retrieve(query)).resolves.toBeInstanceOf(Array);
    for (const mode of ['and', 'or'] as const) {
      const match = toFtsQuery(query, mode);
      if (match !== null) expect(() => index.search(match, 5)).not.toThrow();
    }
  });

  it('never produces an invalid query from random input', () => {
    const alphabet = [
      '"',
      "'",
      '*',
      '(',
      ')',
      ':',
      '^',
      '-',
      '+',
      '{',
      '}',
      ' ',
      'AND',
      'OR',
      'NOT',
      'NEAR',
      '환',
      '불',
      'a',
      'Z',
      '9',
      '🎮',
      '\n',
      '\\',
      ',',
      '.',
    ];
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let i = 0; i < 500; i++) {
      const length = Math.floor(random() * 12);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)] ?? '').join('');
      for (const mode of ['and', 'or'] as const) {
        const match = toFtsQuery(text, mode);
        if (match !== null) expect(() => index.search(match, 5), text).not.toThrow();
      }
    }
  });
});
