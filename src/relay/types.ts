import type { PartErrorCode, WarningCode } from '../contract/codes.js';
import type { RetrievedDocument } from '../knowledge/types.js';
import type { Language } from '../lang/languages.js';
import type { AnswerStrategy } from '../answering/strategy.js';
import type { AnswerPart, ChatTurn, InferenceSettings, TokenUsage } from '../models/types.js';

export type LaneRole = 'staff' | 'customer';

export interface LanePlan {
  lane: Language;
  role: LaneRole;
}

export type { PartStatus } from '../contract/common.js';
import type { PartStatus } from '../contract/common.js';

export interface PartResult {
  lane: Language;
  part: AnswerPart;
  text: string;
  model: string | null;
  status: PartStatus;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number | null;
  error?: { code: PartErrorCode; message: string };
}

export type RelayEvent =
  | { type: 'delta'; lane: Language; part: AnswerPart; text: string }
  | { type: 'part_end'; result: PartResult }
  | { type: 'warning'; code: WarningCode; message: string; lane?: Language; part?: AnswerPart };

/** How each part is written: the strategy (generative or extractive), the model id it names, its inference settings. */
export interface RelayPartModel {
  answering: AnswerStrategy;
  modelId: string;
  inference: InferenceSettings;
}

export interface RelayModels {
  overview: RelayPartModel;
  detail: RelayPartModel;
}

export interface RelayRequest {
  lanes: LanePlan[];
  question: string;
  history: ChatTurn[];
  documents: RetrievedDocument[];
  /** Per-lane passages overriding `documents` for that lane (offline mode answers each lane from documents in its language). */
  laneDocuments?: Partial<Record<Language, RetrievedDocument[]>>;
  signal: AbortSignal;
}

export interface RelayDependencies {
  models: RelayModels;
  historyTokenBudget: number;
  /** Prices a finished call; 0 when it is not billed, null when the model's price is unknown. */
  price: (modelId: string, usage: TokenUsage, billed: boolean) => number | null;
}
