import { LANGUAGES, type Language } from '../contract/languages.js';

export { LANGUAGES, UI_LANGUAGES, type Language, type UiLanguage } from '../contract/languages.js';

export const LANGUAGE_NAMES: Record<Language, string> = {
  ko: 'Korean',
  en: 'English',
  ja: 'Japanese',
  zh: 'Chinese',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Each language's name in itself, for language pickers ("Answer in: 한국어 / English / 日本語 / 中文"). */
export const NATIVE_LANGUAGE_NAMES: Record<Language, string> = {
  ko: '한국어',
  en: 'English',
  ja: '日本語',
  zh: '中文',
};
