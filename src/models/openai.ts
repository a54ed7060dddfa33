import { linkedAbort } from './abort.js';
import { SseDataParser } from './openai-sse.js';
import { ModelError, ZERO_USAGE, type ChatModel, type ChatRequest, type ChatStreamEvent, type TokenUsage } from './types.js';

export interface OpenAiCompatibleOptions {
  /** Up to and including the API version, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: string;
  apiKey?: string;
  fetchImpl?: typeof fetch;
}

/**
 * OpenAI finish reasons in Converse's vocabulary, so the relay and the ledger see one set of stop
 * reasons whatever the provider.
 */
const STOP_REASONS: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  content_filter: 'content_filtered',
  tool_calls: 'tool_use',
  function_call: 'tool_use',
};

interface ParsedChunk {
  text?: string;
  finishReason?: string;
  usage?: TokenUsage;
  error?: string;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function parseChunk(payload: string): ParsedChunk {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return {};
  }
  const chunk = record(json);
  if (!chunk) return {};
  const parsed: ParsedChunk = {};
  const error = chunk['error'];
  if (error !== undefined && error !== null) {
    parsed.error = typeof error === 'string' ? error : (textOf(record(error)?.['message']) ?? JSON.stringify(error));
  }
  const choices = chunk['choices'];
  const choice = Array.isArray(choices) ? record(choices[0]) : undefined;
  const content = record(choice?.['delta'])?.['content'];
  if (typeof content === 'string' && content !== '') parsed.text = content;
  const finish = choice?.['finish_reason'];
  if (typeof finish === 'string' && finish !== '') parsed.finishReason = STOP_REASONS[finish] ?? finish;
  const usage = record(chunk['usage']);
  if (usage) {
    parsed.usage = {
      inputTokens: count(usage['prompt_tokens']),
      outputTokens: count(usage['completion_tokens']),
      cacheReadInputTokens: count(record(usage['prompt_tokens_details'])?.['cached_tokens']),
      cacheWriteInputTokens: 0,
    };
  }
  return parsed;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = record(error.cause);
  const causeText = cause ? ` (${textOf(cause['code']) ?? textOf(cause['name']) ?? ''}: ${textOf(cause['message']) ?? ''})` : '';
  return `${error.name}: ${error.message}${causeText}`;
}

function errorBodyMessage(body: string): string {
  const json = (() => {
    try {
      return record(JSON.parse(body));
    } catch {
      return undefined;
    }
  })();
  const error = json?.['error'];
  if (typeof error === 'string') return error;
  const message = record(error)?.['message'] ?? json?.['message'];
  return typeof message === 'string' ? message : body.slice(0, 500);
}

/** Maps an HTTP error status of the chat completions endpoint to a ModelError. */
export function openAiHttpError(status: number, body: string, modelId: string, baseUrl: string): ModelError {
  const serverMessage = errorBodyMessage(body);
  const detail = `HTTP ${status}: ${serverMessage}`;
  if (status === 401 || status === 403) {
    return new ModelError('denied', `The model server at ${baseUrl} rejected the API key (HTTP ${status}); check OPENAI_API_KEY.`, detail);
  }
  if (status === 429) {
    return new ModelError('throttled', `The model server at ${baseUrl} is rate limiting requests; retry shortly.`, detail);
  }
  if (status === 400 || status === 404 || status === 422) {
    return new ModelError('invalid_request', `The model server rejected the request for ${modelId}: ${serverMessage}`, detail);
  }
  return new ModelError('unavailable', `The model server at ${baseUrl} failed (HTTP ${status}).`, detail);
}

/**
 * Any server speaking OpenAI's streaming chat completions: Ollama, llama.cpp, vLLM, LM Studio.
 * Prompt caching is left to the server, so the static and dynamic system texts are simply joined.
 */
export class OpenAiCompatibleChatModel implements ChatModel {
  readonly provider = 'openai' as const;
  private readonly baseUrl: string;
  private readonly apiKey: string | undefined;
  private readonly fetchImpl: typeof fetch;

  constructor(options: OpenAiCompatibleOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/u, '');
    this.apiKey = options.apiKey;
    this.fetchImpl = options.fetchImpl ?? ((input, init) => fetch(input, init));
  }

  async *stream(request: ChatRequest): AsyncGenerator<ChatStreamEvent> {
    const { modelId, signal } = request;
    if (signal.aborted) throw new ModelError('cancelled', `The call to ${modelId} was cancelled`);
    const started = performance.now();
    const abort = linkedAbort(signal);
    let usage: TokenUsage | undefined;
    let finished = false;
    let streaming = false;
    const fail = (error: unknown): ModelError => {
      if (error instanceof ModelError) return error;
      if (signal.aborted || (error instanceof Error && error.name === 'AbortError')) {
        return new ModelError('cancelled', `The call to ${modelId} was cancelled`, describe(error), usage);
      }
      const message = streaming
        ? `The connection to the model server at ${this.baseUrl} broke while streaming the answer.`
        : `Could not reach the model server at ${this.baseUrl}.`;
      return new ModelError('unavailable', message, describe(error), usage);
    };
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(`${this.baseUrl}/chat/completions`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'text/event-stream',
            ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}),
          },
          body: JSON.stringify(this.body(request)),
          signal: abort.signal,
        });
      } catch (error) {
        throw fail(error);
      }
      if (!response.ok) {
        const body = await response.text().catch(() => '');
        throw openAiHttpError(response.status, body, modelId, this.baseUrl);
      }
      if (!response.body) throw new ModelError('unavailable', `The model server at ${this.baseUrl} sent no body.`);

      streaming = true;
      const reader = response.body.getReader();
      const parser = new SseDataParser();
      let finishReason: string | undefined;
      let sawDone = false;
      try {
        while (!sawDone) {
          const { value, done } = await reader.read();
          const payloads = done ? parser.end() : parser.push(value);
          for (const payload of payloads) {
            if (payload === '[DONE]') {
              sawDone = true;
              break;
            }
            const chunk = parseChunk(payload);
            if (chunk.usage) usage = chunk.usage;
            if (chunk.error !== undefined) {
              throw new ModelError('model_error', `The model server reported an error: ${chunk.error}`, chunk.error, usage);
            }
            if (chunk.finishReason) finishReason = chunk.finishReason;
            if (chunk.text !== undefined) yield { type: 'delta', text: chunk.text };
          }
          if (done) break;
        }
      } catch (error) {
        throw fail(error);
      } finally {
        reader.releaseLock();
      }
      if (!sawDone && finishReason === undefined) {
        if (signal.aborted) throw new ModelError('cancelled', `The call to ${modelId} was cancelled`, undefined, usage);
        throw new ModelError(
          'unavailable',
          'The model stream ended before the answer was complete',
          `${modelId}: stream ended without finish_reason or [DONE]`,
          usage,
        );
      }
      finished = true;
      yield {
        type: 'end',
        usage: usage ?? { ...ZERO_USAGE },
        stopReason: finishReason ?? 'end_turn',
        latencyMs: Math.round(performance.now() - started),
      };
    } finally {
      // Also stops the server generating when the consumer walked away early.
      if (!finished) abort.abort();
      abort.detach();
    }
  }

  private body(request: ChatRequest): Record<string, unknown> {
    const system = request.dynamicSystem ? `${request.staticSystem}\n\n${request.dynamicSystem}` : request.staticSystem;
    return {
      model: request.modelId,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'system', content: system }, ...request.messages.map((turn) => ({ role: turn.role, content: turn.text }))],
      max_tokens: request.inference.maxTokens,
      temperature: request.inference.temperature,
    };
  }
}

/** A string or number field of an untyped error body, as text; anything else is not text. */
function textOf(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
