import type { Language } from '../contract/languages.js';

export { isLanguage, LANGUAGES, NATIVE_LANGUAGE_NAMES, type Language, type UiLanguage } from '../contract/languages.js';

export const LANGUAGE_NAMES: Record<Language, string> = {
  ko: 'Korean',
  en: 'English',
  ja: 'Japanese',
  zh: 'Chinese',
};
