import { readChatEvents } from '../../../src/contract/sse';
import type {
  ChatEvent,
  ChatRequest,
  ConversationDetail,
  ConversationSummary,
  Feedback,
  FeedbackItem,
  Glossary,
  GlossaryStatus,
  Rating,
  Status,
  TranslateRequest,
  TranslationResult,
  UiLanguage,
} from './types';

/** An API failure with the server's error code (or a client-side one such as `stream_interrupted`). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly status: number | null,
    message?: string,
    /** Seconds from a Retry-After header, when the server says retrying can help. */
    readonly retryAfter: number | null = null,
  ) {
    super(message ?? code);
    this.name = 'ApiError';
  }
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

async function errorFromResponse(response: Response): Promise<ApiError> {
  let code = response.status === 429 ? 'rate_limited' : response.status >= 500 ? 'internal_error' : 'invalid_request';
  let message: string | undefined;
  try {
    const body: unknown = await response.json();
    if (body && typeof body === 'object' && 'error' in body) {
      const error = body.error;
      if (error && typeof error === 'object') {
        const c = (error as { code?: unknown }).code;
        const m = (error as { message?: unknown }).message;
        if (typeof c === 'string') code = c;
        if (typeof m === 'string') message = m;
      }
    }
  } catch {
    // not JSON: keep the status-derived code
  }
  if (response.status === 503 && code === 'internal_error') code = 'unavailable';
  const retryAfter = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
  return new ApiError(code, response.status, message, Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : null);
}

type RequestOptions = Omit<RequestInit, 'headers'> & { headers?: Record<string, string> };

async function request(path: string, init: RequestOptions = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError('unavailable', null);
  }
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await request(path, signal ? { signal } : {});
  return (await response.json()) as T;
}

export const api = {
  status: (signal?: AbortSignal) => getJson<Status>('/api/status', signal),
  examples: (lang: UiLanguage, signal?: AbortSignal) =>
    getJson<{ questions: string[] }>(`/api/examples?lang=${lang}`, signal).then((r) => r.questions),
  conversations: (signal?: AbortSignal) =>
    getJson<{ conversations: ConversationSummary[] }>('/api/conversations', signal).then((r) => r.conversations),
  conversation: (id: string, signal?: AbortSignal) => getJson<ConversationDetail>(`/api/conversations/${encodeURIComponent(id)}`, signal),
  deleteConversation: async (id: string) => {
    await request(`/api/conversations/${encodeURIComponent(id)}`, { method: 'DELETE' });
  },
  sendFeedback: async (messageId: string, rating: Rating, comment?: string): Promise<Feedback> => {
    const body = comment ? { rating, comment } : { rating };
    const response = await request(`/api/messages/${encodeURIComponent(messageId)}/feedback`, {
      method: 'POST',
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as { feedback: Feedback };
    return json.feedback;
  },
  feedback: (rating: Rating, signal?: AbortSignal) =>
    getJson<{ items: FeedbackItem[] }>(`/api/feedback?rating=${rating}`, signal).then((r) => r.items),
  translate: async (body: TranslateRequest, signal?: AbortSignal): Promise<TranslationResult> => {
    const response = await request('/api/translate', { method: 'POST', body: JSON.stringify(body), ...(signal ? { signal } : {}) });
    return (await response.json()) as TranslationResult;
  },
  glossary: (signal?: AbortSignal) => getJson<Glossary>('/api/glossary', signal),
  glossaryStatus: (signal?: AbortSignal) => getJson<GlossaryStatus>('/api/glossary/status', signal),
};

/**
 * POST /api/chat and yield its events. Pre-stream failures throw ApiError with the server's
 * code; a connection that drops mid-stream throws ApiError('stream_interrupted'); aborting the
 * signal throws an AbortError (and the server cancels its model calls).
 */
export async function* streamChat(body: ChatRequest, signal: AbortSignal): AsyncGenerator<ChatEvent> {
  const response = await request('/api/chat', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { accept: 'text/event-stream' },
    signal,
  });
  if (!response.body) throw new ApiError('stream_interrupted', response.status);
  try {
    yield* readChatEvents(response.body);
  } catch (error) {
    if (signal.aborted || isAbortError(error)) throw error;
    throw new ApiError('stream_interrupted', null);
  }
}
