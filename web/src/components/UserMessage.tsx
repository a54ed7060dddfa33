import { useI18n } from '../i18n';

interface Props {
  text: string;
  /** The question translated into the staff language for the knowledge-base search (meta.translatedQuestion). */
  translatedQuestion?: string | null;
  /** The language of that translation, for `lang` (fonts, screen readers). */
  translatedLanguage?: string | undefined;
}

export function UserMessage({ text, translatedQuestion, translatedLanguage }: Props) {
  const { t } = useI18n();
  return (
    <article className="message message-user">
      <h2 className="visually-hidden">{t('you')}</h2>
      <div className="bubble">{text}</div>
      {translatedQuestion && (
        <p className="translated-question">
          <span className="translated-question-label">{t('translatedQuestion')}</span> <q lang={translatedLanguage}>{translatedQuestion}</q>
        </p>
      )}
    </article>
  );
}
