/** Languages dualnova answers in. The staff language is one of these (Korean by default). */
export const LANGUAGES = ['ko', 'en', 'ja', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Languages the web app's interface is written in. */
export const UI_LANGUAGES = ['ko', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

export const ANSWER_LANGUAGES = ['auto', ...LANGUAGES] as const;
export type AnswerLanguage = (typeof ANSWER_LANGUAGES)[number];

/** Each language's name in itself, for language pickers ("Answer in: 한국어 / English / 日本語 / 中文"). */
export const NATIVE_LANGUAGE_NAMES: Record<Language, string> = {
  ko: '한국어',
  en: 'English',
  ja: '日本語',
  zh: '中文',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
