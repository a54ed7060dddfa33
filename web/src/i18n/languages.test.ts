import { describe, expect, it } from 'vitest';
// The test (only) reads the server's table, to prove the web app's copy is in step with it.
import { LANGUAGES as SERVER_LANGUAGES, NATIVE_LANGUAGE_NAMES as SERVER_NATIVE_NAMES } from '../../../src/lang/languages';
import {
  ANSWER_LANGUAGES,
  isAnswerLanguage,
  isLanguage,
  isTranslateTarget,
  LANGUAGES,
  NATIVE_LANGUAGE_NAMES,
  TRANSLATE_TARGETS,
} from './languages';

describe('language options', () => {
  it('copies the server languages and their native names', () => {
    expect(LANGUAGES).toEqual([...SERVER_LANGUAGES]);
    expect(NATIVE_LANGUAGE_NAMES).toEqual(SERVER_NATIVE_NAMES);
  });

  it('offers "Answer in: auto / 한국어 / English / 日本語 / 中文" and the same translator targets', () => {
    expect(ANSWER_LANGUAGES).toEqual(['auto', 'ko', 'en', 'ja', 'zh']);
    expect(ANSWER_LANGUAGES.map((l) => (l === 'auto' ? 'auto' : NATIVE_LANGUAGE_NAMES[l]))).toEqual([
      'auto',
      '한국어',
      'English',
      '日本語',
      '中文',
    ]);
    expect(TRANSLATE_TARGETS).toEqual(ANSWER_LANGUAGES);
  });

  it('validates stored and selected values', () => {
    expect(isAnswerLanguage('ja')).toBe(true);
    expect(isAnswerLanguage('ui')).toBe(false); // the old "same as interface" choice falls back to auto
    expect(isTranslateTarget('auto')).toBe(true);
    expect(isTranslateTarget('fr')).toBe(false);
    expect(isLanguage('zh')).toBe(true);
    expect(isLanguage('auto')).toBe(false);
  });
});
