import type { RetrievedDocument } from '../knowledge/types.js';
import type { Language } from '../lang/languages.js';
import type { AnswerPart, ChatStreamEvent, ChatTurn, InferenceSettings, ProviderName } from '../models/types.js';

/** What an answering strategy can do; the rest of the code asks these instead of comparing provider names. */
export interface AnsweringCapabilities {
  /** It can translate questions and free text (a generative model can; quoting passages cannot). */
  translates: boolean;
  /** Its calls cost money: priced, estimated when cut, counted against budgets. */
  billed: boolean;
  /** It streams text as it is produced (the relay shows it as it arrives). */
  streams: boolean;
}

/** One part of one lane's answer, with everything the strategy answers from. */
export interface PartRequest {
  modelId: string;
  lane: Language;
  part: AnswerPart;
  question: string;
  /** The conversation so far, ending with the question: alternating turns, starting and ending with `user`. */
  turns: ChatTurn[];
  documents: RetrievedDocument[];
  inference: InferenceSettings;
  signal: AbortSignal;
}

/**
 * How an answer part is written: by a model from a prompt (generative) or by quoting the
 * retrieved passages (extractive, offline). Streams deltas then exactly one `end` event; throws
 * ModelError on failure.
 */
export interface AnswerStrategy {
  readonly provider: ProviderName;
  readonly capabilities: AnsweringCapabilities;
  stream(request: PartRequest): AsyncIterable<ChatStreamEvent>;
  /** Prompt tokens the request sends, for estimating the bill of a call cut before it reported usage. */
  promptTokens(request: PartRequest): number;
}
