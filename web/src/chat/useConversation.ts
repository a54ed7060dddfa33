import { useCallback, useEffect, useLayoutEffect, useReducer, useRef } from 'react';
import { api, ApiError, isAbortError, streamChat } from '../api/client';
import type { AnswerLanguage, Feedback, UiLanguage } from '../api/types';
import { conversationReducer, emptyConversation, type ConversationState } from './conversationState';

export type SendResult = { ok: true } | { ok: false; code: string };

export interface ConversationController {
  state: ConversationState;
  streaming: boolean;
  /** Sends a question. Resolves `{ok:false}` when the server refused it before answering (the caller keeps the draft). */
  send: (question: string) => Promise<SendResult>;
  stop: () => void;
  /** Stops any answer and shows an empty conversation (used by "New conversation"). */
  reset: () => void;
  retry: (key: string) => void;
  setFeedback: (key: string, feedback: Feedback) => void;
}

interface Options {
  conversationId: string | null;
  uiLanguage: UiLanguage;
  answerLanguage: AnswerLanguage;
  /** A new conversation got its id (from the stream's `meta`). */
  onCreated: (id: string) => void;
  /** An answer finished (in any way): lists may have changed. */
  onSettled: () => void;
}

let keySeq = 0;
const nextKey = () => `local-${Date.now().toString(36)}-${(keySeq++).toString(36)}`;

export function useConversation(options: Options): ConversationController {
  const [state, dispatch] = useReducer(conversationReducer, emptyConversation);
  // The latest state and options for callbacks that outlive a render (the stream loop).
  const stateRef = useRef(state);
  const optionsRef = useRef(options);
  useLayoutEffect(() => {
    stateRef.current = state;
    optionsRef.current = options;
  });
  const abortRef = useRef<AbortController | null>(null);
  const streamingRef = useRef(false);

  // Follow the route: load the conversation it names, unless it is the one being streamed into.
  const { conversationId } = options;
  useEffect(() => {
    if (
      conversationId === stateRef.current.id &&
      (conversationId === null || stateRef.current.exchanges.length > 0 || stateRef.current.loading)
    )
      return;
    abortRef.current?.abort();
    if (conversationId === null) {
      dispatch({ type: 'reset', id: null, loading: false });
      return;
    }
    dispatch({ type: 'reset', id: conversationId, loading: true });
    const controller = new AbortController();
    api
      .conversation(conversationId, controller.signal)
      .then((detail) => dispatch({ type: 'loaded', detail }))
      .catch((e: unknown) => {
        if (controller.signal.aborted || isAbortError(e)) return;
        dispatch({ type: 'load_failed', code: e instanceof ApiError ? e.code : 'internal_error' });
      });
    return () => controller.abort();
  }, [conversationId]);

  // Leaving the page (or unmounting) stops a running answer, so the server stops paying for it.
  useEffect(() => () => abortRef.current?.abort(), []);

  const send = useCallback(async (question: string): Promise<SendResult> => {
    const text = question.trim();
    if (!text) return { ok: false, code: 'message_empty' };
    if (streamingRef.current) return { ok: false, code: 'rate_limited' };
    const { uiLanguage, answerLanguage } = optionsRef.current;
    const key = nextKey();
    const controller = new AbortController();
    abortRef.current = controller;
    streamingRef.current = true;
    dispatch({ type: 'start', key, question: text });
    let started = false;
    let ended = false;
    try {
      const conversationId = stateRef.current.id ?? undefined;
      const body = { message: text, uiLanguage, answerLanguage, ...(conversationId ? { conversationId } : {}) };
      for await (const event of streamChat(body, controller.signal)) {
        if (event.event === 'meta') {
          started = true;
          if (!stateRef.current.id || stateRef.current.id !== event.data.conversationId) {
            stateRef.current = { ...stateRef.current, id: event.data.conversationId };
            optionsRef.current.onCreated(event.data.conversationId);
          }
        }
        if (event.event === 'done' || event.event === 'error') ended = true;
        dispatch({ type: 'stream', key, action: event });
      }
      if (!ended) {
        if (!started) {
          dispatch({ type: 'remove', key });
          return { ok: false, code: 'stream_interrupted' };
        }
        dispatch({ type: 'stream', key, action: { event: 'interrupted' } });
      }
      return { ok: true };
    } catch (e) {
      if (controller.signal.aborted || isAbortError(e)) {
        dispatch({ type: 'stream', key, action: { event: 'stopped' } });
        return { ok: true };
      }
      const code = e instanceof ApiError ? e.code : 'internal_error';
      if (!started) {
        // Refused before anything was stored: drop the exchange, the caller restores the draft.
        dispatch({ type: 'remove', key });
        return { ok: false, code };
      }
      dispatch({
        type: 'stream',
        key,
        action: code === 'stream_interrupted' ? { event: 'interrupted' } : { event: 'failed', data: { code, message: '' } },
      });
      return { ok: true };
    } finally {
      if (abortRef.current === controller) abortRef.current = null;
      streamingRef.current = false;
      optionsRef.current.onSettled();
    }
  }, []);

  const stop = useCallback(() => abortRef.current?.abort(), []);

  const reset = useCallback(() => {
    abortRef.current?.abort();
    stateRef.current = emptyConversation;
    dispatch({ type: 'reset', id: null, loading: false });
  }, []);

  const retry = useCallback(
    (key: string) => {
      const exchange = stateRef.current.exchanges.find((x) => x.key === key);
      if (exchange) void send(exchange.question);
    },
    [send],
  );

  const setFeedback = useCallback((key: string, feedback: Feedback) => dispatch({ type: 'feedback', key, feedback }), []);

  const streaming = state.exchanges.some((x) => x.answer.phase === 'connecting' || x.answer.phase === 'streaming');
  return { state, streaming, send, stop, reset, retry, setFeedback };
}
