import { useCallback, useEffect, useState } from 'react';
import type { AnswerLanguage, Feedback } from '../api/types';
import type { ConversationController } from '../chat/useConversation';
import { useI18n } from '../i18n';
import { Composer } from './Composer';
import { MessageList } from './MessageList';
import { Notice } from './Notice';
import { Welcome } from './Welcome';

const DRAFT_KEY = 'dualnova.draft';

function readDraft(): string {
  try {
    return sessionStorage.getItem(DRAFT_KEY) ?? '';
  } catch {
    return '';
  }
}

interface Props {
  chat: ConversationController;
  answerLanguage: AnswerLanguage;
  onAnswerLanguage: (value: AnswerLanguage) => void;
  onNewConversation: () => void;
  /** Set when the server says chat is unavailable (the reason comes from GET /api/status). */
  unavailableReason: string | null;
}

/** The chat pane: the log (or the welcome screen) and the question box. */
export function ChatView({ chat, answerLanguage, onAnswerLanguage, onNewConversation, unavailableReason }: Props) {
  const { t, errorText } = useI18n();
  const { state, streaming, send, stop, retry, setFeedback } = chat;
  const [draft, setDraft] = useState(readDraft);
  const [sendError, setSendError] = useState<string | null>(null);

  // The draft survives reloads in this tab, so an error or a refresh never loses typed text.
  useEffect(() => {
    try {
      if (draft) sessionStorage.setItem(DRAFT_KEY, draft);
      else sessionStorage.removeItem(DRAFT_KEY);
    } catch {
      // storage blocked
    }
  }, [draft]);

  const ask = useCallback(
    async (question: string, fromDraft: boolean) => {
      if (!question.trim() || streaming) return;
      setSendError(null);
      if (fromDraft) setDraft('');
      const result = await send(question);
      if (!result.ok) {
        setSendError(result.code);
        // Put the question back unless the user already typed something new.
        setDraft((current) => (current.trim() ? current : question));
      }
    },
    [send, streaming],
  );

  // Escape stops a streaming answer from anywhere on the page (dialogs handle their own Escape).
  useEffect(() => {
    if (!streaming) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      stop();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [streaming, stop]);

  const onFeedback = useCallback((key: string, feedback: Feedback) => setFeedback(key, feedback), [setFeedback]);
  const empty = state.exchanges.length === 0;

  return (
    <div className="chat">
      {state.loadError ? (
        <div className="chat-message-center">
          <Notice
            tone="error"
            action={
              <button type="button" className="btn btn-small" onClick={onNewConversation}>
                {t('newConversation')}
              </button>
            }
          >
            {errorText(state.loadError)}
          </Notice>
        </div>
      ) : state.loading && empty ? (
        <div className="chat-message-center">
          <p className="placeholder">{t('loading')}</p>
        </div>
      ) : empty ? (
        <div className="welcome-scroll">
          <Welcome onAsk={(q) => void ask(q, false)} disabled={streaming} />
        </div>
      ) : (
        <MessageList exchanges={state.exchanges} streaming={streaming} onRetry={retry} onFeedback={onFeedback} />
      )}
      {unavailableReason !== null && (
        <div className="chat-unavailable">
          <Notice tone="error">
            {t('chatUnavailable')}
            {unavailableReason && <span className="muted"> — {unavailableReason}</span>}
          </Notice>
        </div>
      )}
      <Composer
        value={draft}
        onChange={(v) => {
          setDraft(v);
          if (sendError) setSendError(null);
        }}
        onSend={() => void ask(draft, true)}
        onStop={stop}
        streaming={streaming}
        error={sendError}
        answerLanguage={answerLanguage}
        onAnswerLanguage={onAnswerLanguage}
      />
    </div>
  );
}
