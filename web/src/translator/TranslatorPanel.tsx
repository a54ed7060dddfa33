import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { api, ApiError, isAbortError } from '../api/client';
import type { TranslateTarget, TranslationResult } from '../api/types';
import { useStoredState } from '../hooks/useStoredState';
import { useI18n } from '../i18n';
import { isTranslateTarget, NATIVE_LANGUAGE_NAMES, TRANSLATE_TARGETS } from '../i18n/languages';
import { TranslationFailureNotice } from './TranslationFailureNotice';
import { TranslationResultView } from './TranslationResultView';
import { countChars, TRANSLATE_MAX_CHARS, translatorFailure, type TranslatorFailure } from './translation';

const DRAFT_KEY = 'dualnova.translateDraft';

function readDraft(): string {
  try {
    return sessionStorage.getItem(DRAFT_KEY) ?? '';
  } catch {
    return '';
  }
}

/** POST /api/translate: text, target language, the translation with its glossary report. */
export function TranslatorPanel() {
  const { t, locale } = useI18n();
  const id = useId();
  const [text, setText] = useState(readDraft);
  const [target, setTarget] = useStoredState<TranslateTarget>('dualnova.translateTarget', 'auto', isTranslateTarget);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TranslationResult | null>(null);
  const [failure, setFailure] = useState<TranslatorFailure | null>(null);
  const abort = useRef<AbortController | null>(null);

  // The text survives a reload of this tab, like the question draft.
  useEffect(() => {
    try {
      if (text) sessionStorage.setItem(DRAFT_KEY, text);
      else sessionStorage.removeItem(DRAFT_KEY);
    } catch {
      // storage blocked
    }
  }, [text]);
  useEffect(() => () => abort.current?.abort(), []);

  const count = countChars(text);
  const over = count > TRANSLATE_MAX_CHARS;
  const canSend = !busy && text.trim() !== '' && !over;

  const translate = async () => {
    if (!canSend) return;
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setBusy(true);
    setFailure(null);
    try {
      const translated = await api.translate({ text, target }, controller.signal);
      setResult(translated);
    } catch (e) {
      if (controller.signal.aborted || isAbortError(e)) return;
      setResult(null);
      setFailure(
        e instanceof ApiError ? translatorFailure(e.code, e.status, e.message, e.retryAfter) : { kind: 'other', code: 'internal_error' },
      );
    } finally {
      if (abort.current === controller) {
        abort.current = null;
        setBusy(false);
      }
    }
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void translate();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void translate();
    }
  };

  const fmt = (n: number) => new Intl.NumberFormat(locale).format(n);
  return (
    <div className="translator">
      <p className="tool-intro">{t('translatorIntro')}</p>
      <form className="translator-form" onSubmit={onSubmit} aria-busy={busy}>
        <label htmlFor={`${id}-text`} className="field-label">
          {t('translateText')}
        </label>
        <textarea
          id={`${id}-text`}
          data-autofocus
          className="translator-input"
          rows={6}
          value={text}
          placeholder={t('translatePlaceholder')}
          aria-describedby={`${id}-count ${id}-hint`}
          aria-invalid={over || undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <div className="translator-meta">
          <span id={`${id}-hint`} className="translator-hint">
            {t('translateShortcut')}
          </span>
          <span id={`${id}-count`} className={over ? 'char-count is-over' : 'char-count'}>
            {t(over ? 'charCountOver' : 'charCount', { n: fmt(count), max: fmt(TRANSLATE_MAX_CHARS) })}
          </span>
        </div>
        <div className="translator-actions">
          <label htmlFor={`${id}-target`} className="field-label">
            {t('translateTarget')}
          </label>
          <select id={`${id}-target`} value={target} onChange={(e) => isTranslateTarget(e.target.value) && setTarget(e.target.value)}>
            {TRANSLATE_TARGETS.map((choice) => (
              <option key={choice} value={choice} lang={choice === 'auto' ? undefined : choice}>
                {choice === 'auto' ? t('translateTargetAuto') : NATIVE_LANGUAGE_NAMES[choice]}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary translator-submit" disabled={!canSend}>
            {busy ? t('translating') : t('translateButton')}
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {failure && <TranslationFailureNotice failure={failure} />}
        {result && !failure && <TranslationResultView result={result} />}
      </div>
    </div>
  );
}
