import { useLayoutEffect, useRef } from 'react';
import type { Feedback } from '../api/types';
import type { Exchange } from '../chat/conversationState';
import { useI18n } from '../i18n';
import { AssistantMessage } from './AssistantMessage';
import { UserMessage } from './UserMessage';

interface Props {
  exchanges: Exchange[];
  streaming: boolean;
  onRetry: (key: string) => void;
  onFeedback: (key: string, feedback: Feedback) => void;
}

const NEAR_BOTTOM_PX = 96;

/**
 * The conversation log. It follows the stream to the bottom unless the reader has scrolled up.
 * role=log is an implicit aria-live="polite" region; it is also set explicitly.
 */
export function MessageList({ exchanges, streaming, onRetry, onFeedback }: Props) {
  const { t } = useI18n();
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const count = exchanges.length;
  const lastCount = useRef(count);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (count !== lastCount.current) {
      // A new question (or a conversation opened): go to the bottom.
      pinned.current = true;
      lastCount.current = count;
    }
    if (pinned.current) el.scrollTop = el.scrollHeight;
  });

  return (
    <div
      className="messages"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
      }}
    >
      <div className="messages-inner" role="log" aria-live="polite" aria-relevant="additions text" aria-label={t('conversationLog')}>
        {exchanges.map((x, i) => (
          <div className="exchange" key={x.key}>
            <UserMessage
              text={x.question}
              translatedQuestion={x.answer.translatedQuestion}
              translatedLanguage={x.answer.lanes.find((l) => l.role === 'staff')?.lane}
            />
            <AssistantMessage exchange={x} onRetry={onRetry} onFeedback={onFeedback} canRetry={!streaming && i === exchanges.length - 1} />
          </div>
        ))}
      </div>
    </div>
  );
}
