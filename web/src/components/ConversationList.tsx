import { useState } from 'react';
import type { ConversationSummary } from '../api/types';
import { formatWhen } from '../i18n/format';
import { useI18n } from '../i18n';
import { ConfirmDialog } from './ConfirmDialog';
import { Icon } from './Icon';

interface Props {
  conversations: ConversationSummary[] | null;
  loading: boolean;
  error: string | null;
  currentId: string | null;
  onOpen: (id: string) => void;
  onDelete: (id: string) => Promise<void>;
}

/** Past conversations, newest first; each can be opened or deleted (after confirmation). */
export function ConversationList({ conversations, loading, error, currentId, onOpen, onDelete }: Props) {
  const { t, errorText, locale } = useI18n();
  const [pending, setPending] = useState<ConversationSummary | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  return (
    <nav className="conversations" aria-label={t('conversations')}>
      <h2 className="sidebar-heading">{t('conversations')}</h2>
      {error && <p className="sidebar-error">{errorText(error)}</p>}
      {deleteError && (
        <p className="sidebar-error" role="alert">
          {errorText(deleteError)}
        </p>
      )}
      {conversations === null ? (
        loading && <p className="sidebar-empty">{t('loading')}</p>
      ) : conversations.length === 0 ? (
        <p className="sidebar-empty">{t('noConversations')}</p>
      ) : (
        <ul>
          {conversations.map((c) => {
            const title = c.title.trim() || t('untitled');
            return (
              <li key={c.id} className={c.id === currentId ? 'conversation is-current' : 'conversation'}>
                <a
                  href={`/c/${encodeURIComponent(c.id)}`}
                  aria-current={c.id === currentId ? 'page' : undefined}
                  onClick={(e) => {
                    if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
                    e.preventDefault();
                    onOpen(c.id);
                  }}
                >
                  <span className="conversation-title">{title}</span>
                  <time dateTime={c.updatedAt}>{formatWhen(c.updatedAt, locale)}</time>
                </a>
                <button
                  type="button"
                  className="btn btn-icon btn-quiet conversation-delete"
                  aria-label={t('deleteConversationNamed', { title })}
                  title={t('delete')}
                  onClick={() => {
                    setDeleteError(null);
                    setPending(c);
                  }}
                >
                  <Icon name="trash" size={15} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={t('confirmDeleteTitle')}
        body={t('confirmDeleteBody', { title: pending?.title.trim() || t('untitled') })}
        confirmLabel={t('delete')}
        cancelLabel={t('cancel')}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          const target = pending;
          setPending(null);
          if (target)
            onDelete(target.id).catch((e: unknown) =>
              setDeleteError(typeof e === 'object' && e && 'code' in e ? String(e.code) : 'internal_error'),
            );
        }}
      />
    </nav>
  );
}
