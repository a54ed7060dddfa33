import { useI18n } from '../i18n';
import type { UiLanguage } from '../api/types';

const OPTIONS: { value: UiLanguage; label: string; lang: string }[] = [
  { value: 'ko', label: '한국어', lang: 'ko' },
  { value: 'en', label: 'English', lang: 'en' },
];

/** 한국어 / English as a segmented radio group (native radios: arrow keys, labels, focus). */
export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <fieldset className="segmented" aria-label={t('language')}>
      <legend className="visually-hidden">{t('language')}</legend>
      {OPTIONS.map((o) => (
        <label key={o.value} className={lang === o.value ? 'is-on' : undefined} lang={o.lang}>
          <input type="radio" name="ui-language" value={o.value} checked={lang === o.value} onChange={() => setLang(o.value)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
