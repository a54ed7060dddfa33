import { useId } from 'react';
import type { AnswerLanguage } from '../api/types';
import { useI18n } from '../i18n';
import { ANSWER_LANGUAGES, isAnswerLanguage, NATIVE_LANGUAGE_NAMES } from '../i18n/languages';

/**
 * "Answer in: auto / 한국어 / English / 日本語 / 中文". Auto answers in the question's language; a
 * choice other than the staff language adds the staff lane beside the customer's.
 */
export function AnswerLanguageSelect({ value, onChange }: { value: AnswerLanguage; onChange: (value: AnswerLanguage) => void }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <span className="answer-language">
      <label htmlFor={id}>{t('answerLanguage')}</label>
      <select id={id} value={value} onChange={(e) => isAnswerLanguage(e.target.value) && onChange(e.target.value)}>
        {ANSWER_LANGUAGES.map((choice) => (
          <option key={choice} value={choice} lang={choice === 'auto' ? undefined : choice}>
            {choice === 'auto' ? t('answerLanguageAuto') : NATIVE_LANGUAGE_NAMES[choice]}
          </option>
        ))}
      </select>
    </span>
  );
}
