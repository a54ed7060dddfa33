import { api } from '../api/client';
import { formatWhen } from '../i18n/format';
import { useApi } from '../hooks/useApi';
import { useI18n } from '../i18n';
import { Icon } from './Icon';
import { Notice } from './Notice';

/** GET /api/feedback?rating=down: poorly rated answers with their question, for the team lead. */
export function FeedbackReport({ onOpenConversation }: { onOpenConversation: (id: string) => void }) {
  const { t, errorText, locale } = useI18n();
  const report = useApi('feedback:down', (signal) => api.feedback('down', signal));
  const items = report.data ?? [];
  return (
    <div className="report">
      <div className="report-inner">
        <p className="report-intro">{t('lowRatedIntro')}</p>
        {report.error && <Notice tone="error">{errorText(report.error)}</Notice>}
        {report.loading && !report.data && <p className="placeholder">{t('loading')}</p>}
        {report.data && items.length === 0 && <p className="placeholder">{t('lowRatedEmpty')}</p>}
        <ul className="report-list">
          {items.map((item) => (
            <li key={item.messageId} className="report-item">
              <div className="report-head">
                <Icon name="thumbDown" size={15} />
                <time dateTime={item.createdAt}>{formatWhen(item.createdAt, locale)}</time>
                <a
                  href={`/c/${encodeURIComponent(item.conversationId)}`}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    onOpenConversation(item.conversationId);
                  }}
                >
                  {t('openConversation')}
                </a>
              </div>
              <dl>
                <dt>{t('question')}</dt>
                <dd className="report-question">{item.question}</dd>
                {item.comment && (
                  <>
                    <dt>{t('comment')}</dt>
                    <dd className="report-comment">{item.comment}</dd>
                  </>
                )}
                <dt>{t('answer')}</dt>
                <dd className="report-answer">{item.answer}</dd>
              </dl>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
