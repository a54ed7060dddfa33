import { AppError } from '../errors/app-error.js';
import { checkGlossaryConsistency } from '../glossary/answer-check.js';
import { containsTerm, findGlossaryTerms, findInflected, scanGlossaryTerms } from '../glossary/match.js';
import type { Glossary } from '../glossary/types.js';
import { analyzeLanguage } from '../lang/detect.js';
import type { Language } from '../lang/languages.js';
import type { Logger } from '../log/logger.js';
import { errorFields } from '../log/logger.js';
import type { TokenUsage } from '../models/types.js';
import type { PromptBuilder } from '../prompts/builder.js';
import type { UsageLedger } from '../usage/ledger.js';
import { translateWithModel, TranslationError, type TranslationModel } from './model-translation.js';
import type { GlossaryTermReport, TranslationResult } from '../contract/translate.js';
export type { GlossaryTermReport, TranslationResult } from '../contract/translate.js';

/** The translator's input limit (POST /api/translate, `dualnova translate`). */
export const TRANSLATE_MAX_CHARS = 4000;
const DEFAULT_TIMEOUT_MS = 60_000;

export type TargetChoice = Language | 'auto';

export interface TranslatorDependencies {
  /** null when no model can translate (offline mode); `unavailableReason` says why. */
  model: TranslationModel | null;
  unavailableReason: string;
  prompts: () => PromptBuilder;
  glossary: () => Glossary | null;
  staffLanguage: Language;
  /** The main customer language: where staff-language text goes when the target is auto. */
  customerLanguage: Language;
  /** Prices a finished call (translations run on a generative model: always billed). */
  price: (modelId: string, usage: TokenUsage, billed: boolean) => number | null;
  ledger?: UsageLedger;
  logger?: Logger;
  timeoutMs?: number;
  /** Throws BudgetExhaustedError (HTTP 429) when a daily budget is used up (src/usage/budgets.ts). */
  budgetCheck?: (userId: string | null) => Promise<void>;
}

export interface TranslateInput {
  text: string;
  target: TargetChoice;
  /** Overrides detection when the text is too mixed to tell. */
  source?: TargetChoice;
  userId: string | null;
  signal: AbortSignal;
}

/**
 * Target `auto`: customer text goes to the staff language; staff-language text goes to the main
 * customer language (or, if that is the staff language too, to English — Korean for English staff).
 */
export function resolveTarget(source: Language, requested: TargetChoice, staff: Language, customer: Language): Language {
  if (requested !== 'auto') return requested;
  if (source !== staff) return staff;
  if (customer !== staff) return customer;
  return staff === 'en' ? 'ko' : 'en';
}

/** The glossary-aware free-text translator behind POST /api/translate and `dualnova translate`. */
export class Translator {
  constructor(private readonly deps: TranslatorDependencies) {}

  get available(): boolean {
    return this.deps.model !== null;
  }

  get unavailableReason(): string | undefined {
    return this.deps.model === null ? this.deps.unavailableReason : undefined;
  }

  async translate(input: TranslateInput): Promise<TranslationResult> {
    const text = input.text;
    if (text.trim() === '') throw new AppError('message_empty', 400, 'The text to translate is empty.');
    const length = [...text].length;
    if (length > TRANSLATE_MAX_CHARS) {
      throw new AppError(
        'message_too_long',
        413,
        `The text is ${length} characters long; the translator takes at most ${TRANSLATE_MAX_CHARS}. Split it into shorter parts.`,
      );
    }
    const analysis = analyzeLanguage(text);
    if (analysis.language === null && (input.source === undefined || input.source === 'auto')) {
      throw new AppError('nothing_to_translate', 400, 'The text has no words to translate (only digits, symbols or emoji).');
    }
    const detected = analysis.language ?? this.deps.staffLanguage;
    const source = input.source !== undefined && input.source !== 'auto' ? input.source : detected;
    const target = resolveTarget(source, input.target, this.deps.staffLanguage, this.deps.customerLanguage);

    const model = this.deps.model;
    if (model === null) throw new TranslationError('translation_unavailable', 503, this.deps.unavailableReason);
    await this.deps.budgetCheck?.(input.userId);

    let outcome: { text: string; usage: TokenUsage; latencyMs: number } | undefined;
    try {
      outcome = await translateWithModel(model, this.deps.prompts(), {
        text,
        source,
        target,
        purpose: 'text',
        signal: input.signal,
        timeoutMs: this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      });
    } catch (error) {
      if (error instanceof TranslationError)
        await this.record(input.userId, model, target, error.usage, error.latencyMs, error.code === 'cancelled' ? 'partial' : 'failed');
      throw error;
    }
    const costUsd = await this.record(input.userId, model, target, outcome.usage, outcome.latencyMs, 'complete');
    const glossary = this.deps.glossary();
    return {
      originalText: text,
      detectedLanguage: detected,
      sourceLanguage: source,
      targetLanguage: target,
      translatedText: outcome.text,
      glossaryTerms: glossary ? termReports(glossary, text, outcome.text, target) : [],
      glossaryViolations: glossary
        ? checkGlossaryConsistency({ glossary, sourceText: text, answerText: outcome.text, language: target })
        : [],
      model: model.modelId,
      usage: outcome.usage,
      latencyMs: outcome.latencyMs,
      costUsd,
    };
  }

  /** One ledger row per call, failed ones included (they can cost tokens too). Returns the cost. */
  private async record(
    userId: string | null,
    model: TranslationModel,
    target: Language,
    usage: TokenUsage,
    latencyMs: number,
    status: string,
  ): Promise<number | null> {
    const costUsd = this.deps.price(model.modelId, usage, true);
    if (!this.deps.ledger) return costUsd;
    try {
      await this.deps.ledger.record({
        conversationId: null,
        messageId: null,
        userId,
        purpose: 'translate-text',
        lane: target,
        provider: model.model.provider,
        modelId: model.modelId,
        usage,
        latencyMs,
        status,
        costUsd,
        estimated: false,
      });
    } catch (error) {
      this.deps.logger?.error({ ...errorFields(error), modelId: model.modelId }, 'usage ledger write failed');
    }
    return costUsd;
  }
}

export function termReports(glossary: Glossary, source: string, translation: string, target: Language): GlossaryTermReport[] {
  const inTranslation = scanGlossaryTerms(glossary, translation);
  return findGlossaryTerms(glossary, source).map((occurrence) => {
    const { entry } = occurrence;
    const expected = entry.names[target] ?? null;
    const other = inTranslation.find((o) => o.entry.id === entry.id)?.matched ?? null;
    let rendered: string | null = other;
    if (expected !== null && containsTerm(translation, expected)) rendered = expected;
    // "refunded" renders the term "refund" when no other name of the entry was used.
    else if (expected !== null && other === null) rendered = findInflected(translation, expected);
    return {
      term: entry.id,
      category: entry.category,
      source: occurrence.matched,
      sourceLanguage: occurrence.language,
      expected,
      rendered,
    };
  });
}
