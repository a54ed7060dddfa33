/**
 * What an answer may cost at most, before it runs: the amount a budget reservation holds. Output is
 * bounded by each part's maxTokens; input by the prompt's parts (static prefix, history budget,
 * retrieved passages, question) with a safety margin, since providers count tokens their own way.
 */
import { estimateTokens } from '../prompts/tokens.js';
import type { Amount } from './budgets.js';
import type { PriceBook } from './prices.js';

/** One retrieved passage: prompts cut passages at 2,400 characters (src/prompts/builder.ts), ~2 per token. */
export const PASSAGE_TOKENS = 1200;
/** Lane instructions, document framing and message wrappers around the prompt's parts. */
const PROMPT_OVERHEAD_TOKENS = 300;
/** Tokenizers differ from our estimate; reserve a fifth more input than estimated. */
const INPUT_MARGIN = 1.2;

export interface EstimatedCall {
  modelId: string;
  maxTokens: number;
}

export interface AnswerEstimatorOptions {
  /** Whether answering calls are billed; an extractive answer reserves nothing. */
  billed: boolean;
  overview: EstimatedCall;
  detail: EstimatedCall;
  /** The question-translation model, when questions are translated. */
  translation?: EstimatedCall | undefined;
  /** Tokens of the static (cached) prompt prefix; read on each estimate (the glossary can change). */
  prefixTokens: () => number;
  historyTokenBudget: number;
  retrieveTopK: number;
  prices: PriceBook;
}

export interface AnswerShape {
  /** Answer lanes (1, or 2 for a customer language). */
  lanes: number;
  /** Whether the question is translated first (one more fast-model call). */
  translation: boolean;
  question: string;
}

export class AnswerEstimator {
  constructor(private readonly options: AnswerEstimatorOptions) {}

  /** The reservation of a full answer and of an overview-only one. Unbilled (extractive) answers cost nothing. */
  estimate(shape: AnswerShape): { full: Amount; overviewOnly: Amount } {
    const zero = { tokens: 0, costUsd: 0 };
    if (!this.options.billed) return { full: zero, overviewOnly: zero };
    const question = estimateTokens(shape.question);
    const { overview, detail, translation, prefixTokens, historyTokenBudget, retrieveTopK } = this.options;
    const answerInput = Math.ceil(
      INPUT_MARGIN * (prefixTokens() + historyTokenBudget + retrieveTopK * PASSAGE_TOKENS + 2 * question + PROMPT_OVERHEAD_TOKENS),
    );
    const overviewCall = this.call(overview.modelId, answerInput, overview.maxTokens);
    const detailCall = this.call(detail.modelId, answerInput, detail.maxTokens);
    const translationCall =
      shape.translation && translation
        ? this.call(
            translation.modelId,
            Math.ceil(INPUT_MARGIN * (prefixTokens() + 2 * question + PROMPT_OVERHEAD_TOKENS)),
            Math.min(translation.maxTokens, 4 * question + 200),
          )
        : zero;
    const lanes = Math.max(1, shape.lanes);
    const overviewOnly = add(translationCall, times(overviewCall, lanes));
    return { full: add(overviewOnly, times(detailCall, lanes)), overviewOnly };
  }

  private call(modelId: string, input: number, output: number): Amount {
    const price = this.options.prices.price(modelId);
    // Unknown price: the token budget still holds; the cost budget cannot count it.
    const costUsd = price ? (input * price.input + output * price.output) / 1000 : 0;
    return { tokens: input + output, costUsd };
  }
}

function add(a: Amount, b: Amount): Amount {
  return { tokens: a.tokens + b.tokens, costUsd: a.costUsd + b.costUsd };
}

function times(a: Amount, n: number): Amount {
  return { tokens: a.tokens * n, costUsd: a.costUsd * n };
}
