import type { ConversationDetail, Feedback } from '../api/types';
import { answerFromStored, initialAnswer, streamReducer, type AnswerView, type StreamAction } from './streamReducer';

/** One question and its answer as shown in the chat pane. */
export interface Exchange {
  key: string;
  question: string;
  answer: AnswerView;
  feedback: Feedback | null;
}

export interface ConversationState {
  id: string | null;
  title: string | null;
  exchanges: Exchange[];
  loading: boolean;
  /** Error code when loading the conversation failed. */
  loadError: string | null;
}

export type ConversationAction =
  | { type: 'reset'; id: string | null; loading: boolean }
  | { type: 'loaded'; detail: ConversationDetail }
  | { type: 'load_failed'; code: string }
  | { type: 'start'; key: string; question: string }
  | { type: 'stream'; key: string; action: StreamAction }
  | { type: 'remove'; key: string }
  | { type: 'feedback'; key: string; feedback: Feedback };

export const emptyConversation: ConversationState = { id: null, title: null, exchanges: [], loading: false, loadError: null };

/** Pairs stored messages into exchanges: each user message with the assistant message after it. */
export function exchangesFromDetail(detail: ConversationDetail): Exchange[] {
  const out: Exchange[] = [];
  const { messages, conversation } = detail;
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    const next = messages[i + 1];
    const reply = next && next.role === 'assistant' ? next : undefined;
    const answer = reply
      ? answerFromStored(reply, conversation.id)
      : {
          ...initialAnswer(),
          conversationId: conversation.id,
          phase: 'interrupted' as const,
          status: 'failed' as const,
          error: { code: 'stream_interrupted', message: '' },
        };
    out.push({
      key: message.id,
      question: message.content,
      answer: { ...answer, userMessageId: message.id },
      feedback: reply?.feedback ?? null,
    });
    if (reply) i++;
  }
  return out;
}

export function conversationReducer(state: ConversationState, action: ConversationAction): ConversationState {
  switch (action.type) {
    case 'reset':
      return { ...emptyConversation, id: action.id, loading: action.loading };
    case 'loaded':
      if (action.detail.conversation.id !== state.id) return state;
      return {
        ...state,
        title: action.detail.conversation.title,
        exchanges: exchangesFromDetail(action.detail),
        loading: false,
        loadError: null,
      };
    case 'load_failed':
      return { ...state, loading: false, loadError: action.code };
    case 'start':
      return {
        ...state,
        exchanges: [...state.exchanges, { key: action.key, question: action.question, answer: initialAnswer(), feedback: null }],
      };
    case 'stream': {
      let id = state.id;
      let title = state.title;
      if (action.action.event === 'meta' && !id) id = action.action.data.conversationId;
      const exchanges = state.exchanges.map((x) => {
        if (x.key !== action.key) return x;
        if (!title) title = x.question;
        return { ...x, answer: streamReducer(x.answer, action.action) };
      });
      return { ...state, id, title, exchanges };
    }
    case 'remove':
      return { ...state, exchanges: state.exchanges.filter((x) => x.key !== action.key) };
    case 'feedback':
      return { ...state, exchanges: state.exchanges.map((x) => (x.key === action.key ? { ...x, feedback: action.feedback } : x)) };
    default:
      return state;
  }
}
