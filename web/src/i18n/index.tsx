import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { UiLanguage } from '../api/types';
import { en, type LabelKey, type Labels } from './en';
import { errorMessage, warningMessage } from './errors';
import { ko } from './ko';

export type { LabelKey } from './en';

const DICTIONARIES: Record<UiLanguage, Labels> = { en, ko };
const STORAGE_KEY = 'dualnova.uiLanguage';

/** Fills `{name}` placeholders. */
export function format(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(lang: UiLanguage, key: LabelKey, vars?: Record<string, string | number>): string {
  return format(DICTIONARIES[lang][key], vars);
}

/** Names of answer languages, written in the UI language. */
const LANGUAGE_NAMES: Record<UiLanguage, Record<string, string>> = {
  en: { ko: 'Korean', en: 'English', ja: 'Japanese', zh: 'Chinese' },
  ko: { ko: '한국어', en: '영어', ja: '일본어', zh: '중국어' },
};

export interface I18n {
  lang: UiLanguage;
  setLang: (lang: UiLanguage) => void;
  t: (key: LabelKey, vars?: Record<string, string | number>) => string;
  errorText: (code: string) => string;
  /** A warning inside an answer (see warningMessage). */
  warningText: (code: string) => string;
  languageName: (code: string) => string;
  locale: string;
}

export function readStoredLanguage(): UiLanguage {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'ko' || stored === 'en') return stored;
  } catch {
    // storage blocked: fall through
  }
  return navigator.language.toLowerCase().startsWith('ko') ? 'ko' : navigator.language.toLowerCase().startsWith('en') ? 'en' : 'ko';
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<UiLanguage>(readStoredLanguage);
  const setLang = useCallback((next: UiLanguage) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // storage blocked: the choice lasts for this page only
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const value = useMemo<I18n>(
    () => ({
      lang,
      setLang,
      t: (key, vars) => translate(lang, key, vars),
      errorText: (code) => errorMessage(lang, code),
      warningText: (code) => warningMessage(lang, code),
      languageName: (code) => LANGUAGE_NAMES[lang][code] ?? code,
      locale: lang === 'ko' ? 'ko-KR' : 'en-US',
    }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
