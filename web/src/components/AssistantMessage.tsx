import type { Feedback } from '../api/types';
import type { Exchange } from '../chat/conversationState';
import { formatCost, formatCount } from '../i18n/format';
import { useI18n } from '../i18n';
import { FeedbackBar } from './FeedbackBar';
import { Icon } from './Icon';
import { LaneGroup } from './LaneGroup';
import { Notice } from './Notice';
import { References } from './References';

interface Props {
  exchange: Exchange;
  onRetry: (key: string) => void;
  onFeedback: (key: string, feedback: Feedback) => void;
  canRetry: boolean;
}

/** One assistant answer: lanes (overview + detail), notices, sources, feedback. */
export function AssistantMessage({ exchange, onRetry, onFeedback, canRetry }: Props) {
  const { t, errorText, warningText, locale } = useI18n();
  const { answer } = exchange;
  const open = answer.phase === 'connecting' || answer.phase === 'streaming';
  const anyText = answer.lanes.some((l) => l.parts.overview.text || l.parts.detail.text);
  const retryable = answer.phase === 'interrupted' || answer.phase === 'failed';
  const totalTokens = answer.usage ? answer.usage.inputTokens + answer.usage.outputTokens : 0;

  return (
    <article
      className="message message-assistant"
      aria-busy={open}
      data-phase={answer.phase}
      data-message-id={answer.messageId ?? undefined}
    >
      <div className="avatar avatar-assistant" aria-hidden="true">
        <Icon name="chat" size={16} />
      </div>
      <div className="message-body">
        <h2 className="visually-hidden">{t('assistant')}</h2>
        {answer.phase === 'connecting' && !anyText && (
          <p className="placeholder searching">
            <span className="dots" aria-hidden="true">
              <i />
              <i />
              <i />
            </span>
            {t('searching')}
          </p>
        )}
        {/* Warnings about the whole answer; those naming a lane are shown inside it. */}
        {answer.warnings
          .filter((w) => !w.lane || !answer.lanes.some((l) => l.lane === w.lane))
          .map((w, i) => (
            <Notice key={i} tone={w.code === 'translation_unavailable' ? 'info' : 'warn'}>
              {warningText(w.code)}
            </Notice>
          ))}
        <LaneGroup answer={answer} />
        {answer.phase === 'stopped' && <Notice tone="info">{t('answerStopped')}</Notice>}
        {answer.error && (
          <Notice
            tone="error"
            action={
              retryable && canRetry ? (
                <button type="button" className="btn btn-small" onClick={() => onRetry(exchange.key)}>
                  <Icon name="retry" size={15} />
                  {t('retry')}
                </button>
              ) : undefined
            }
          >
            {errorText(answer.error.code)}
          </Notice>
        )}
        {answer.phase === 'done' &&
          answer.status === 'partial' &&
          !answer.error &&
          !answer.lanes.some((l) => l.parts.overview.notices.length + l.parts.detail.notices.length > 0) && (
            <Notice tone="info">{t('answerIncomplete')}</Notice>
          )}
        <References references={answer.references} />
        {!open && (
          <footer className="answer-footer">
            {answer.messageId && answer.phase !== 'failed' && (
              <FeedbackBar messageId={answer.messageId} feedback={exchange.feedback} onSaved={(f) => onFeedback(exchange.key, f)} />
            )}
            {answer.usage && totalTokens > 0 && (
              <span className="answer-totals">
                {t('answerTotals', {
                  tokens: formatCount(totalTokens, locale),
                  cost: answer.costUsd === null ? t('statCostUnknown') : formatCost(answer.costUsd),
                })}
              </span>
            )}
          </footer>
        )}
      </div>
    </article>
  );
}
