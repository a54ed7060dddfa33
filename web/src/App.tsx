import { useCallback, useEffect, useState } from 'react';
import { api } from './api/client';
import type { AnswerLanguage } from './api/types';
import { useConversation } from './chat/useConversation';
import { ChatView } from './components/ChatView';
import { FeedbackReport } from './components/FeedbackReport';
import { OfflineBanner } from './components/OfflineBanner';
import { Sidebar } from './components/Sidebar';
import { ToolButtons } from './components/ToolButtons';
import { ToolsPanel } from './tools/ToolsPanel';
import { TopBar } from './components/TopBar';
import { useApi } from './hooks/useApi';
import { useRoute } from './hooks/useRoute';
import { useStoredState } from './hooks/useStoredState';
import { useI18n } from './i18n';
import { UsageLauncher } from './usage/UsageLauncher';
import { isAnswerLanguage } from './i18n/languages';

const STATUS_REFRESH_MS = 60_000;

export function App() {
  const { t, lang } = useI18n();
  const [route, navigate] = useRoute();
  const [drawerOpen, setDrawerOpen] = useState(false);
  // "Answer in": auto (the question's language) unless the agent picks one; remembered in this browser.
  const [answerLanguage, setAnswerLanguage] = useStoredState<AnswerLanguage>('dualnova.answerLanguage', 'auto', isAnswerLanguage);
  const conversations = useApi('conversations', (signal) => api.conversations(signal));
  const status = useApi('status', (signal) => api.status(signal), STATUS_REFRESH_MS);

  const chat = useConversation({
    conversationId: route.view === 'chat' ? route.conversationId : null,
    uiLanguage: lang,
    answerLanguage,
    onCreated: (id) => {
      navigate({ view: 'chat', conversationId: id }, { replace: true });
      conversations.reload();
    },
    onSettled: conversations.reload,
  });

  const go = useCallback(
    (next: Parameters<typeof navigate>[0]) => {
      setDrawerOpen(false);
      navigate(next);
    },
    [navigate],
  );

  const resetChat = chat.reset;
  const newConversation = useCallback(() => {
    go({ view: 'chat', conversationId: null });
    resetChat();
  }, [go, resetChat]);

  const onDelete = useCallback(
    async (id: string) => {
      await api.deleteConversation(id);
      if (route.view === 'chat' && route.conversationId === id) navigate({ view: 'chat', conversationId: null }, { replace: true });
      conversations.reload();
    },
    [route, navigate, conversations],
  );

  // Escape also closes the phone drawer.
  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setDrawerOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [drawerOpen]);

  const currentId = route.view === 'chat' ? route.conversationId : null;
  const title =
    route.view === 'feedback'
      ? t('lowRated')
      : (chat.state.title ?? conversations.data?.find((c) => c.id === currentId)?.title) || t('newConversation');

  useEffect(() => {
    document.title = `${title} · dualnova`;
  }, [title]);

  return (
    <div className="app">
      <Sidebar
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
        conversations={conversations.data}
        conversationsLoading={conversations.loading}
        conversationsError={conversations.error}
        currentId={currentId}
        onNew={newConversation}
        onOpen={(id) => go({ view: 'chat', conversationId: id })}
        onDelete={onDelete}
        onLowRated={() => go({ view: 'feedback' })}
        lowRatedActive={route.view === 'feedback'}
        status={status.data}
        statusError={status.error}
      />
      {drawerOpen && <div className="scrim" aria-hidden="true" onClick={() => setDrawerOpen(false)} />}
      <main className="main">
        <TopBar title={title} onMenu={() => setDrawerOpen(true)} actions={<ToolButtons />} />
        <UsageLauncher conversationId={route.view === 'chat' ? (chat.state.id ?? currentId) : null} exchanges={chat.state.exchanges} />
        {status.data?.mode === 'offline' && <OfflineBanner />}
        {route.view === 'feedback' ? (
          <FeedbackReport onOpenConversation={(id) => go({ view: 'chat', conversationId: id })} />
        ) : (
          <ChatView
            chat={chat}
            answerLanguage={answerLanguage}
            onAnswerLanguage={setAnswerLanguage}
            onNewConversation={newConversation}
            unavailableReason={status.data && !status.data.features.chat.available ? (status.data.features.chat.reason ?? '') : null}
          />
        )}
      </main>
      <ToolsPanel />
    </div>
  );
}
