import type { Language } from '../lang/languages.js';
import type { TokenUsage } from '../models/types.js';
import type { PromptBuilder } from '../prompts/builder.js';
import { translateWithModel, TranslationError, type TranslationModel } from './model-translation.js';

export interface QuestionTranslatorOptions {
  model: TranslationModel;
  /** The current prompt builder (a new one after each glossary reload). */
  prompts: () => PromptBuilder;
  /** After this long the answer goes ahead with the original question alone. */
  timeoutMs: number;
  /** Prices a finished call (translations run on a generative model: always billed). */
  price: (modelId: string, usage: TokenUsage, billed: boolean) => number | null;
}

interface Spent {
  modelId: string;
  provider: string;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number | null;
}

export type QuestionTranslation =
  ({ ok: true; text: string } & Spent) | ({ ok: false; code: 'translation_failed' | 'cancelled'; message: string } & Spent);

/**
 * Translates a customer's question into the staff language for the second search. Never throws:
 * a failure (or a timeout) is a result, so the answer can go ahead from the original question.
 */
export class QuestionTranslator {
  constructor(private readonly options: QuestionTranslatorOptions) {}

  get modelId(): string {
    return this.options.model.modelId;
  }

  async translate(request: { text: string; source: Language; target: Language; signal: AbortSignal }): Promise<QuestionTranslation> {
    const { model, prompts, timeoutMs, price } = this.options;
    const spent = (usage: TokenUsage, latencyMs: number): Spent => ({
      modelId: model.modelId,
      provider: model.model.provider,
      usage,
      latencyMs,
      costUsd: price(model.modelId, usage, true),
    });
    try {
      const result = await translateWithModel(model, prompts(), { ...request, purpose: 'question', timeoutMs });
      return { ok: true, text: result.text, ...spent(result.usage, result.latencyMs) };
    } catch (error) {
      if (error instanceof TranslationError) {
        return {
          ok: false,
          code: error.code === 'cancelled' ? 'cancelled' : 'translation_failed',
          message: error.message,
          ...spent(error.usage, error.latencyMs),
        };
      }
      return {
        ok: false,
        code: 'translation_failed',
        message: `Translation failed: ${String(error)}`,
        ...spent({ inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 }, 0),
      };
    }
  }
}
