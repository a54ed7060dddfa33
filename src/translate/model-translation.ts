import { AppError } from '../errors/app-error.js';
import { LANGUAGE_NAMES, type Language } from '../lang/languages.js';
import { ModelError, ZERO_USAGE, type ChatModel, type ModelErrorCode, type TokenUsage } from '../models/types.js';
import type { PromptBuilder } from '../prompts/builder.js';

/** The model a translation runs on: the fast model unless TRANSLATION_MODEL_ID says otherwise. */
export interface TranslationModel {
  model: ChatModel;
  modelId: string;
}

export type TranslationErrorCode =
  /** No model can translate here (offline mode). */
  | 'translation_unavailable'
  /** The model call failed, timed out, or returned no usable translation. */
  | 'translation_failed'
  | 'cancelled';

/** A translation that did not happen, with what to tell people and an HTTP status for the API. */
export class TranslationError extends AppError {
  override readonly name = 'TranslationError';
  constructor(
    override readonly code: TranslationErrorCode,
    statusCode: number,
    message: string,
    /** The model error code behind it, when there was one. */
    readonly reason?: ModelErrorCode | 'timeout' | 'empty' | 'truncated' | 'untranslated',
    /** Tokens the provider reported before failing; a failed call can still cost money. */
    readonly usage: TokenUsage = { ...ZERO_USAGE },
    readonly latencyMs = 0,
  ) {
    const retryable = statusCode === 503 && code === 'translation_failed';
    super(code, statusCode, message, { ...(reason ? { detail: reason } : {}), ...(retryable ? { retryAfterSeconds: 5 } : {}) });
  }

  get retryable(): boolean {
    return this.retryAfterSeconds !== undefined;
  }
}

export interface ModelTranslationRequest {
  text: string;
  source: Language;
  target: Language;
  purpose: 'question' | 'text';
  signal: AbortSignal;
  /** The call is abandoned (and counted as failed) after this long. */
  timeoutMs: number;
}

export interface ModelTranslation {
  text: string;
  usage: TokenUsage;
  latencyMs: number;
  stopReason: string;
}

/** Output budget: translations run longer than their source in tokens (Hangul, kana), never past the model's cap. */
export function translationMaxTokens(text: string): number {
  return Math.min(10_000, 256 + Math.ceil([...text].length * 1.5));
}

/**
 * One translation through the ChatModel stream API: the PromptBuilder's static prefix (cache point
 * included on Bedrock), then the translation task, then the text as the user message. Throws
 * TranslationError; never returns the input as if it were a translation.
 */
export async function translateWithModel(
  { model, modelId }: TranslationModel,
  prompts: PromptBuilder,
  request: ModelTranslationRequest,
): Promise<ModelTranslation> {
  const prompt = prompts.translation(request.target, { source: request.source, text: request.text, purpose: request.purpose });
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = AbortSignal.any([request.signal, timeout]);
  const started = performance.now();
  let text = '';
  let usage: TokenUsage = { ...ZERO_USAGE };
  let stopReason = '';
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const stream = model.stream({
      modelId,
      staticSystem: prompt.staticSystem,
      dynamicSystem: prompt.dynamicSystem,
      messages: [{ role: 'user', text: request.text }],
      inference: { maxTokens: translationMaxTokens(request.text), temperature: 0 },
      signal,
    });
    for await (const event of stream) {
      if (event.type === 'delta') text += event.text;
      else {
        usage = event.usage;
        stopReason = event.stopReason;
      }
    }
    // A provider that ends quietly on abort (Bedrock after the headers) still must not pass for a translation.
    if (signal.aborted) throw new ModelError('cancelled', 'cancelled');
  } catch (caught) {
    const failure =
      caught instanceof ModelError ? caught : new ModelError('model_error', 'The translation call failed unexpectedly', String(caught));
    const spent = failure.partialUsage ?? usage;
    if (request.signal.aborted)
      throw new TranslationError('cancelled', 499, 'The translation was cancelled.', 'cancelled', spent, elapsed());
    if (timeout.aborted) {
      throw new TranslationError(
        'translation_failed',
        503,
        `The translation model (${modelId}) did not answer within ${request.timeoutMs / 1000} s; try again.`,
        'timeout',
        spent,
        elapsed(),
      );
    }
    throw fromModelError(failure, modelId, spent, elapsed());
  }

  const latencyMs = elapsed();
  if (stopReason === 'max_tokens') {
    throw new TranslationError(
      'translation_failed',
      502,
      `The translation from ${modelId} was cut off at its token limit; translate a shorter text.`,
      'truncated',
      usage,
      latencyMs,
    );
  }
  const cleaned = cleanTranslation(text, request.text);
  if (cleaned === '') {
    throw new TranslationError(
      'translation_failed',
      502,
      `The translation model (${modelId}) returned an empty translation.`,
      'empty',
      usage,
      latencyMs,
    );
  }
  // Short texts (a name, "OK") may legitimately come back as they were; a sentence may not.
  if (request.source !== request.target && [...request.text.trim()].length >= 12 && sameText(cleaned, request.text)) {
    throw new TranslationError(
      'translation_failed',
      502,
      `The translation model (${modelId}) returned the text unchanged instead of translating it into ${LANGUAGE_NAMES[request.target]}.`,
      'untranslated',
      usage,
      latencyMs,
    );
  }
  return { text: cleaned, usage, latencyMs, stopReason };
}

function fromModelError(error: ModelError, modelId: string, usage: TokenUsage, latencyMs: number): TranslationError {
  // Throttling, denial and outages are the service being unavailable (retry or fix the setup); a bad answer is a bad gateway.
  const status = error.code === 'throttled' || error.code === 'unavailable' || error.code === 'denied' ? 503 : 502;
  return new TranslationError('translation_failed', status, `Translation failed: ${error.message}`, error.code, usage, latencyMs);
}

const LABEL = /^(?:translation|translated text|번역(?:문)?|翻訳|翻译|译文|(?:korean|english|japanese|chinese))\s*[:：]\s*/iu;
const FENCE = /^```[\w-]*\n([\s\S]*?)\n?```$/u;
const QUOTES: [string, string][] = [
  ['"', '"'],
  ['“', '”'],
  ['「', '」'],
  ["'", "'"],
];

/** Removes what models wrap around a translation (labels, fences, quotes) unless the source had it too. */
export function cleanTranslation(output: string, source: string): string {
  let text = output.trim();
  const original = source.trim();
  if (!FENCE.test(original)) text = text.replace(FENCE, '$1').trim();
  if (!LABEL.test(original)) text = text.replace(LABEL, '').trim();
  for (const [open, close] of QUOTES) {
    if (text.length > 2 && text.startsWith(open) && text.endsWith(close) && !(original.startsWith(open) && original.endsWith(close))) {
      text = text.slice(open.length, -close.length).trim();
    }
  }
  return text;
}

function sameText(a: string, b: string): boolean {
  const key = (text: string) => text.normalize('NFKC').replace(/\s+/gu, ' ').trim().toLowerCase();
  return key(a) === key(b);
}
