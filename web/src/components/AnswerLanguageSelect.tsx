import { useId } from 'react';
import type { AnswerLanguage, UiLanguage } from '../api/types';
import { useI18n } from '../i18n';

/** `ui` = answer in the interface language (the default); otherwise a fixed AnswerLanguage. */
export type AnswerLanguageChoice = 'ui' | AnswerLanguage;

export const ANSWER_LANGUAGE_CHOICES: readonly AnswerLanguageChoice[] = ['ui', 'auto', 'ko', 'en', 'ja', 'zh'];

export function isAnswerLanguageChoice(value: string): value is AnswerLanguageChoice {
  return (ANSWER_LANGUAGE_CHOICES as readonly string[]).includes(value);
}

export function resolveAnswerLanguage(choice: AnswerLanguageChoice, ui: UiLanguage): AnswerLanguage {
  return choice === 'ui' ? ui : choice;
}

const NATIVE_NAMES: Record<string, string> = { ko: '한국어', en: 'English', ja: '日本語', zh: '中文' };

export function AnswerLanguageSelect({ value, onChange }: { value: AnswerLanguageChoice; onChange: (value: AnswerLanguageChoice) => void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <span className="answer-language">
      <label htmlFor={id}>{t('answerLanguage')}</label>
      <select id={id} value={value} onChange={(e) => isAnswerLanguageChoice(e.target.value) && onChange(e.target.value)}>
        {ANSWER_LANGUAGE_CHOICES.map((choice) => (
          <option key={choice} value={choice}>
            {choice === 'ui' ? t('answerLanguageUi') : choice === 'auto' ? t('answerLanguageAuto') : NATIVE_NAMES[choice]}
          </option>
        ))}
      </select>
    </span>
  );
}
