import { useId, useLayoutEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';
import type { AnswerLanguage } from '../api/types';
import { AnswerLanguageSelect } from './AnswerLanguageSelect';
import { Icon } from './Icon';

interface Props {
  value: string;
  onChange: (value: string) => void;
  onSend: () => void;
  onStop: () => void;
  streaming: boolean;
  /** Error code of the last refused send (the draft is back in the box). */
  error: string | null;
  answerLanguage: AnswerLanguage;
  onAnswerLanguage: (value: AnswerLanguage) => void;
}

export const MAX_ROWS_PX = 220;

/** The question box: Enter sends, Shift+Enter adds a line, Escape stops a streaming answer. */
export function Composer({ value, onChange, onSend, onStop, streaming, error, answerLanguage, onAnswerLanguage }: Props) {
  const { t, errorText } = useI18n();
  const area = useRef<HTMLTextAreaElement>(null);
  const hintId = useId();
  const errorId = useId();

  useLayoutEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_ROWS_PX)}px`;
  }, [value]);

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter that confirms a Hangul/IME composition must not send the half-typed question.
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      if (!streaming) onSend();
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (streaming) onStop();
    else onSend();
  };

  return (
    <form className="composer" onSubmit={submit}>
      {error && (
        <p className="composer-error" id={errorId} role="alert">
          {errorText(error)}
        </p>
      )}
      <div className="composer-box">
        <label htmlFor={`${hintId}-input`} className="visually-hidden">
          {t('composerLabel')}
        </label>
        <textarea
          id={`${hintId}-input`}
          ref={area}
          rows={1}
          value={value}
          placeholder={t('composerPlaceholder')}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {streaming ? (
          <button type="submit" className="btn btn-send is-stop" aria-label={t('stop')} title={`${t('stop')} (Esc)`}>
            <Icon name="stop" />
          </button>
        ) : (
          <button type="submit" className="btn btn-send" aria-label={t('send')} title={`${t('send')} (Enter)`} disabled={!value.trim()}>
            <Icon name="send" />
          </button>
        )}
      </div>
      <div className="composer-meta">
        <span id={hintId} className="composer-hint">
          {t('composerHint')}
        </span>
        <AnswerLanguageSelect value={answerLanguage} onChange={onAnswerLanguage} />
      </div>
    </form>
  );
}
