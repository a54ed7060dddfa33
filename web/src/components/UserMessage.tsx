import { useI18n } from '../i18n';

export function UserMessage({ text }: { text: string }) {
  const { t } = useI18n();
  return (
    <article className="message message-user">
      <h2 className="visually-hidden">{t('you')}</h2>
      <div className="bubble">{text}</div>
    </article>
  );
}
