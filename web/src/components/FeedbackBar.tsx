import { useId, useState } from 'react';
import { api, ApiError } from '../api/client';
import type { Feedback, Rating } from '../api/types';
import { useI18n } from '../i18n';
import { Icon } from './Icon';

interface Props {
  messageId: string;
  feedback: Feedback | null;
  onSaved: (feedback: Feedback) => void;
}

/** Thumbs up/down (saved at once) and an optional comment (saved with the same rating). */
export function FeedbackBar({ messageId, feedback, onSaved }: Props) {
  const { t, errorText } = useI18n();
  const [comment, setComment] = useState('');
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const commentId = useId();

  const save = async (rating: Rating, text?: string) => {
    setBusy(true);
    setError(null);
    try {
      const saved = await api.sendFeedback(messageId, rating, text);
      onSaved({ rating: saved.rating, comment: saved.comment ?? null, createdAt: saved.createdAt });
      setNote(text ? t('feedbackCommentSaved') : t('feedbackThanks'));
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.code : 'internal_error');
      return false;
    } finally {
      setBusy(false);
    }
  };

  const rate = async (rating: Rating) => {
    if (await save(rating, feedback?.comment ?? undefined)) setEditing(!feedback?.comment);
  };

  const submitComment = async () => {
    if (!feedback || !comment.trim()) return;
    if (await save(feedback.rating, comment.trim())) {
      setEditing(false);
      setComment('');
    }
  };

  return (
    <div className="feedback">
      <div className="feedback-row">
        <span className="feedback-prompt">{t('feedbackPrompt')}</span>
        {(['up', 'down'] as const).map((rating) => (
          <button
            key={rating}
            type="button"
            className={`btn btn-icon btn-quiet thumb${feedback?.rating === rating ? ' is-on' : ''}`}
            aria-pressed={feedback?.rating === rating}
            aria-label={rating === 'up' ? t('feedbackUp') : t('feedbackDown')}
            title={rating === 'up' ? t('feedbackUp') : t('feedbackDown')}
            disabled={busy}
            onClick={() => void rate(rating)}
          >
            <Icon name={rating === 'up' ? 'thumbUp' : 'thumbDown'} size={16} />
          </button>
        ))}
        {note && !error && (
          <span className="feedback-note" role="status">
            {note}
          </span>
        )}
        {error && (
          <span className="feedback-error" role="alert">
            {errorText(error)}
          </span>
        )}
      </div>
      {feedback?.comment && !editing && (
        <p className="feedback-comment">
          <span>{t('feedbackYourComment')}</span> {feedback.comment}
        </p>
      )}
      {feedback && editing && (
        <form
          className="feedback-form"
          onSubmit={(e) => {
            e.preventDefault();
            void submitComment();
          }}
        >
          <label htmlFor={commentId} className="visually-hidden">
            {t('feedbackComment')}
          </label>
          <input
            id={commentId}
            type="text"
            value={comment}
            maxLength={2000}
            placeholder={feedback.rating === 'down' ? t('feedbackCommentPlaceholder') : t('feedbackComment')}
            onChange={(e) => setComment(e.target.value)}
          />
          <button type="submit" className="btn btn-small" disabled={busy || !comment.trim()}>
            {t('feedbackSend')}
          </button>
          <button type="button" className="btn btn-small btn-quiet" onClick={() => setEditing(false)}>
            {t('dismiss')}
          </button>
        </form>
      )}
    </div>
  );
}
