import { describe, expect, it } from 'vitest';
import type { TranslationGlossaryTerm } from '../api/types';
import { countChars, highlightSegments, renderedInstead, termStatus, translatorFailure, TRANSLATE_MAX_CHARS } from './translation';

const term = (over: Partial<TranslationGlossaryTerm>): TranslationGlossaryTerm => ({
  term: 'aria',
  category: 'character',
  source: '아리아',
  sourceLanguage: 'ko',
  expected: 'Aria',
  rendered: 'Aria',
  ...over,
});

describe('translator logic', () => {
  it('counts characters in code points, like the server', () => {
    expect(TRANSLATE_MAX_CHARS).toBe(4000);
    expect(countChars('아리아')).toBe(3);
    expect(countChars('🎮🎮')).toBe(2);
    expect('🎮🎮'.length).toBe(4);
  });

  it('classifies each glossary term of a translation', () => {
    expect(termStatus(term({}), [])).toBe('ok');
    expect(termStatus(term({ term: 'refund', expected: 'refund', rendered: 'refunded' }), [])).toBe('ok');
    expect(termStatus(term({ rendered: 'Ari' }), [{ term: 'aria', expected: 'Aria', found: 'Ari', foundLanguage: 'en' }])).toBe('other');
    expect(termStatus(term({ rendered: null }), [{ term: 'aria', expected: 'Aria' }])).toBe('missing');
    expect(termStatus(term({ rendered: null }), [])).toBe('missing');
    expect(termStatus(term({ term: 'orin', expected: null, rendered: null }), [])).toBe('no-name');
    expect(renderedInstead(term({ rendered: 'Ari' }), [{ term: 'aria', expected: 'Aria', found: 'Ari' }])).toBe('Ari');
    expect(renderedInstead(term({}), [])).toBeNull();
  });

  it('highlights violations in the translated text, longest first, case-insensitively', () => {
    expect(highlightSegments('Ari bought SD. ari!', ['Ari', 'SD'])).toEqual([
      { text: 'Ari', mark: true },
      { text: ' bought ', mark: false },
      { text: 'SD', mark: true },
      { text: '. ', mark: false },
      { text: 'ari', mark: true },
      { text: '!', mark: false },
    ]);
    expect(
      highlightSegments('Star Dust and Star', ['Star', 'Star Dust'])
        .filter((s) => s.mark)
        .map((s) => s.text),
    ).toEqual(['Star Dust', 'Star']);
    expect(highlightSegments('nothing here', [])).toEqual([{ text: 'nothing here', mark: false }]);
    expect(highlightSegments('', ['x'])).toEqual([]);
  });

  it('maps translator errors to the messages the panel shows', () => {
    expect(translatorFailure('translation_unavailable', 503, 'Translation needs a model…', null)).toEqual({
      kind: 'offline',
      reason: 'Translation needs a model…',
    });
    expect(translatorFailure('message_too_long', 413, 'x', null)).toEqual({ kind: 'too-long' });
    expect(translatorFailure('translation_failed', 503, 'throttled', 5)).toEqual({ kind: 'busy', retryAfter: 5 });
    expect(translatorFailure('translation_failed', 502, 'returned the text unchanged', null)).toEqual({
      kind: 'failed',
      reason: 'returned the text unchanged',
    });
    expect(translatorFailure('nothing_to_translate', 400, 'x', null)).toEqual({ kind: 'other', code: 'nothing_to_translate' });
  });
});
