import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkGlossaryConsistency } from '../../src/glossary/answer-check.js';
import { loadGlossaryFile } from '../../src/glossary/load.js';
import { findGlossaryTerms, scanGlossaryTerms } from '../../src/glossary/match.js';
import { renderGlossaryForPrompt } from '../../src/glossary/render.js';
import type { Glossary } from '../../src/glossary/types.js';

const glossary = loadGlossaryFile(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../kb/glossary.json'));

const small: Glossary = {
  game: 'Starfall Chronicles',
  version: '1',
  entries: [
    {
      id: 'stardust',
      category: 'item',
      names: { ko: '스타더스트', en: 'Stardust' },
      aliases: { ko: ['별가루'], en: ['SD'] },
      description: 'Premium currency.',
    },
    {
      id: 'aria',
      category: 'character',
      names: { ko: '아리아', en: 'Aria', ja: 'アリア' },
      aliases: { ko: ['아리'], en: ['Ari'] },
      description: 'Ranged damage dealer.',
    },
    { id: 'refund', category: 'cs-term', names: { ko: '환불', en: 'refund' }, aliases: {}, description: '' },
  ],
};

describe('renderGlossaryForPrompt', () => {
  it('renders compact lines, lead language first, sorted by category then id', () => {
    expect(renderGlossaryForPrompt(small, ['ko', 'en'])).toBe(
      [
        'Game glossary for Starfall Chronicles (version 1). Use these names exactly:',
        '- 아리아 (en: Aria; also: 아리, Ari) — character: Ranged damage dealer.',
        '- 스타더스트 (en: Stardust; also: 별가루, SD) — item: Premium currency.',
        '- 환불 (en: refund) — cs-term',
      ].join('\n'),
    );
    expect(renderGlossaryForPrompt(small, ['en', 'ja'], { header: false }).split('\n')[0]).toBe(
      '- Aria (ja: アリア; also: Ari) — character: Ranged damage dealer.',
    );
  });

  it('is byte-identical across calls and independent of entry order', () => {
    const first = renderGlossaryForPrompt(glossary, ['ko', 'en']);
    const shuffled: Glossary = { ...glossary, entries: [...glossary.entries].reverse() };
    expect(renderGlossaryForPrompt(glossary, ['ko', 'en'])).toBe(first);
    expect(renderGlossaryForPrompt(shuffled, ['ko', 'en'])).toBe(first);
    expect(first.split('\n')).toHaveLength(glossary.entries.length + 1);
  });
});

describe('findGlossaryTerms', () => {
  it('finds names and aliases in any language, each entry once, in order', () => {
    const matches = findGlossaryTerms(small, '아리가 산 SD를 환불하고 싶어요. Aria refund please, 아리아');
    expect(matches.map((m) => [m.entry.id, m.matched, m.language])).toEqual([
      ['aria', '아리', 'ko'],
      ['stardust', 'SD', 'en'],
      ['refund', '환불', 'ko'],
    ]);
  });

  it('is case-insensitive with word boundaries for Latin and substring for Hangul', () => {
    expect(findGlossaryTerms(small, 'ARIA and stardust').map((m) => m.matched)).toEqual(['ARIA', 'stardust']);
    expect(findGlossaryTerms(small, 'Ariadne arrived; aria’s bow')).toEqual([expect.objectContaining({ matched: 'aria’s', term: 'Aria' })]);
    expect(findGlossaryTerms(small, 'Aria의 활, 스타더스트를')).toHaveLength(2);
    expect(findGlossaryTerms(small, 'refunds were refunded').map((m) => m.matched)).toEqual(['refunds']);
  });

  it('prefers the longest term', () => {
    const matches = scanGlossaryTerms(glossary, '잿빛 왕좌 레이드에서 별의 파편을 얻었어요');
    expect(matches.map((m) => [m.entry.id, m.matched])).toEqual([
      ['ashen-throne', '잿빛 왕좌 레이드'],
      ['star-shard', '별의 파편'],
    ]);
    expect(findGlossaryTerms(glossary, 'emergency maintenance tonight').map((m) => m.entry.id)).toEqual(['emergency-maintenance']);
  });

  it('tolerates spacing variants of Korean terms and hyphen variants of English ones', () => {
    expect(findGlossaryTerms(glossary, '계정복구 해주세요').map((m) => m.entry.id)).toEqual(['account-recovery']);
    expect(findGlossaryTerms(glossary, 'two step verification').map((m) => m.entry.id)).toEqual(['two-step-verification']);
  });

  it('finds nothing in unrelated text', () => {
    expect(findGlossaryTerms(glossary, 'hello there')).toEqual([]);
    expect(findGlossaryTerms(glossary, '')).toEqual([]);
  });
});

describe('checkGlossaryConsistency', () => {
  const source = '아리아가 산 스타더스트를 환불할 수 있나요?';

  it('passes an answer that uses every canonical name', () => {
    expect(
      checkGlossaryConsistency({
        glossary: small,
        sourceText: source,
        answerText: 'Aria can get a refund for unused Stardust.',
        language: 'en',
      }),
    ).toEqual([]);
  });

  it('reports a missing name', () => {
    expect(
      checkGlossaryConsistency({
        glossary: small,
        sourceText: source,
        answerText: 'Aria can get her money back for unused Stardust.',
        language: 'en',
      }),
    ).toEqual([{ term: 'refund', expected: 'refund' }]);
  });

  it('reports a wrong alias: another language’s name or a non-canonical alias', () => {
    expect(
      checkGlossaryConsistency({
        glossary: small,
        sourceText: source,
        answerText: '아리아는 남은 Stardust를 환불받을 수 있습니다.',
        language: 'ko',
      }),
    ).toEqual([{ term: 'stardust', expected: '스타더스트', found: 'Stardust', foundLanguage: 'en' }]);
    expect(
      checkGlossaryConsistency({ glossary: small, sourceText: source, answerText: 'Ari can get a refund for unused SD.', language: 'en' }),
    ).toEqual([
      { term: 'aria', expected: 'Aria', found: 'Ari', foundLanguage: 'en' },
      { term: 'stardust', expected: 'Stardust', found: 'SD', foundLanguage: 'en' },
    ]);
  });

  it('skips entries without a name in the answer language', () => {
    expect(checkGlossaryConsistency({ glossary: small, sourceText: source, answerText: 'アリアは返金できます。', language: 'ja' })).toEqual(
      [],
    );
  });

  it('accepts a canonical name inside a longer term of another entry', () => {
    expect(
      checkGlossaryConsistency({
        glossary,
        sourceText: '레이드 입장권',
        answerText: '잿빛 왕좌 레이드 입장권은 돌려드립니다.',
        language: 'ko',
      }),
    ).toEqual([]);
  });
});
