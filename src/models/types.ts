import type { Language } from '../lang/languages.js';

export type ProviderName = 'bedrock' | 'openai' | 'offline';

/** Which part of a lane's relay a call produces; translation calls use their own purposes. */
export type AnswerPart = 'overview' | 'detail';
export type CallPurpose = AnswerPart | 'translate-question' | 'translate-text';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export const ZERO_USAGE: TokenUsage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheWriteInputTokens: 0,
});

export interface ChatTurn {
  role: 'user' | 'assistant';
  text: string;
}

export interface InferenceSettings {
  maxTokens: number;
  temperature: number;
}

export interface ChatRequest {
  modelId: string;
  /** Byte-identical across requests so providers can mark it cacheable (Converse cachePoint). */
  staticSystem: string;
  /** Per-request system text (documents, lane instructions); sent after the cache point. */
  dynamicSystem?: string;
  /** Alternating turns, starting and ending with `user`. */
  messages: ChatTurn[];
  inference: InferenceSettings;
  signal: AbortSignal;
  /**
   * Which answer part this call writes, for logs and scripted test models; providers never read it
   * (they answer from the prompt). Absent on translation calls.
   */
  label?: { part: AnswerPart; lane: Language; question: string };
}

export type ChatStreamEvent = { type: 'delta'; text: string } | { type: 'end'; usage: TokenUsage; stopReason: string; latencyMs?: number };

export interface ChatModel {
  readonly provider: ProviderName;
  /**
   * Streams deltas then exactly one `end` event. Throws ModelError on failure; a stream that ends
   * without its `end` event (cut connection) throws ModelError('unavailable').
   */
  stream(request: ChatRequest): AsyncIterable<ChatStreamEvent>;
}

export type ModelErrorCode = 'denied' | 'throttled' | 'invalid_request' | 'unavailable' | 'cancelled' | 'model_error';

/** A model call failure with a code for programs, a message for people and a detail for logs. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly code: ModelErrorCode,
    message: string,
    readonly detail?: string,
    /** Tokens the provider reported before the failure, when it reported any. */
    readonly partialUsage?: TokenUsage,
  ) {
    super(message);
  }
}
