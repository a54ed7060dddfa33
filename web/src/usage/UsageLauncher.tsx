import { lazy, Suspense, useEffect, useId, useRef, useState } from 'react';
import { isAbortError } from '../api/client';
import type { Exchange } from '../chat/conversationState';
import { formatCost } from '../i18n/format';
import { totalTokens, usageApi, type ConversationUsage } from './api';
import { useUsageText } from './messages';
import './usage.css';

// The panel (and Chart.js with it) is loaded the first time it is opened, not with the chat.
const UsagePanel = lazy(() => import('./UsagePanel').then((m) => ({ default: m.UsagePanel })));

const FINISHED = new Set(['done', 'stopped', 'interrupted', 'failed']);

/** This conversation's totals from the server (every call, the question translation included), re-read when an answer ends. */
function useConversationUsage(conversationId: string | null, exchanges: Exchange[]): ConversationUsage | null {
  const [usage, setUsage] = useState<ConversationUsage | null>(null);
  const finished = exchanges.filter((x) => FINISHED.has(x.answer.phase)).length;
  useEffect(() => {
    if (!conversationId) {
      setUsage(null);
      return;
    }
    const controller = new AbortController();
    usageApi
      .conversation(conversationId, controller.signal)
      .then(setUsage)
      .catch((e: unknown) => {
        if (!isAbortError(e)) setUsage(null);
      });
    return () => controller.abort();
  }, [conversationId, finished]);
  return usage;
}

/**
 * A slim bar under the top bar — this conversation's tokens and cost — with a button that opens
 * the usage panel (a drawer on the native <dialog>: focus trap, Escape closes). The panel loads
 * only while it is open; CloudWatch figures come from the server's cache.
 */
export function UsageLauncher({ conversationId, exchanges }: { conversationId: string | null; exchanges: Exchange[] }) {
  const { u, locale } = useUsageText();
  const usage = useConversationUsage(conversationId, exchanges);
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  const summary =
    usage && usage.calls > 0
      ? u('conversationStrip', {
          tokens: new Intl.NumberFormat(locale).format(totalTokens(usage)),
          cost: usage.costUsd === null ? u('costUnknown') : formatCost(usage.costUsd),
        })
      : null;

  return (
    <>
      <div className="usage-strip">
        {summary && (
          <span className="usage-strip-summary" data-testid="usage-strip" title={u('conversationCalls', { calls: usage?.calls ?? 0 })}>
            {summary}
          </span>
        )}
        <button
          type="button"
          className="btn btn-quiet usage-open"
          aria-haspopup="dialog"
          aria-label={u('openPanel')}
          onClick={() => setOpen(true)}
        >
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
            <path d="M2 14V8h2.5v6H2Zm4.75 0V2h2.5v12h-2.5ZM11.5 14V5H14v9h-2.5Z" fill="currentColor" />
          </svg>
          {u('button')}
        </button>
      </div>
      <dialog
        ref={dialog}
        className="usage-drawer"
        aria-labelledby={titleId}
        onCancel={(e) => {
          e.preventDefault();
          setOpen(false);
        }}
        onClick={(e) => {
          if (e.target === e.currentTarget) setOpen(false); // the backdrop
        }}
      >
        <div className="usage-drawer-inner">
          <header className="usage-drawer-head">
            <h2 id={titleId}>{u('title')}</h2>
            <button type="button" className="btn btn-quiet" onClick={() => setOpen(false)}>
              {u('close')}
            </button>
          </header>
          {open && (
            <Suspense fallback={<p className="usage-muted usage-panel">…</p>}>
              <UsagePanel conversation={usage} />
            </Suspense>
          )}
        </div>
      </dialog>
    </>
  );
}
