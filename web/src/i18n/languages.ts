import type { AnswerLanguage, Language, TranslateTarget } from '../api/types';

/** The languages answers and translations can be written in (the server's LANGUAGES). */
export const LANGUAGES: readonly Language[] = ['ko', 'en', 'ja', 'zh'];

/**
 * Each language's name in itself, for pickers ("Answer in: 한국어 / English / 日本語 / 中文").
 * A copy of the server's NATIVE_LANGUAGE_NAMES (src/lang/languages.ts): the web app never imports server code.
 */
export const NATIVE_LANGUAGE_NAMES: Record<Language, string> = {
  ko: '한국어',
  en: 'English',
  ja: '日本語',
  zh: '中文',
};

/** "Answer in": auto (the question's language) first, then every language. */
export const ANSWER_LANGUAGES: readonly AnswerLanguage[] = ['auto', ...LANGUAGES];

/** The translator's targets: auto (customer text → staff language, staff text → customer language), then every language. */
export const TRANSLATE_TARGETS: readonly TranslateTarget[] = ['auto', ...LANGUAGES];

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function isAnswerLanguage(value: string): value is AnswerLanguage {
  return (ANSWER_LANGUAGES as readonly string[]).includes(value);
}

export function isTranslateTarget(value: string): value is TranslateTarget {
  return (TRANSLATE_TARGETS as readonly string[]).includes(value);
}
