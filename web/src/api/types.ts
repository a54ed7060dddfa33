/** Shapes of the dualnova HTTP API (see DESIGN.md, "HTTP API"). */

export type UiLanguage = 'ko' | 'en';
export type AnswerLanguage = 'auto' | 'ko' | 'en' | 'ja' | 'zh';
export type LaneRole = 'staff' | 'customer';
export type PartName = 'overview' | 'detail';
export type StreamPartStatus = 'complete' | 'failed' | 'partial';
export type StoredPartStatus = 'complete' | 'partial' | 'failed' | 'skipped';
export type MessageStatus = 'complete' | 'partial' | 'failed';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
}

export interface Reference {
  id: string;
  title: string;
  uri: string;
  score: number;
  excerpt: string;
}

export interface LaneInfo {
  lane: string;
  role: LaneRole;
}

export interface ApiErrorBody {
  code: string;
  message: string;
}

// ---- POST /api/chat events ----

export interface MetaEvent {
  conversationId: string;
  messageId: string;
  userMessageId: string;
  detectedLanguage: string;
  translatedQuestion?: string;
  lanes: LaneInfo[];
}
export interface ReferencesEvent {
  documents: Reference[];
}
export interface DeltaEvent {
  lane: string;
  part: PartName;
  text: string;
}
export interface PartEndEvent {
  lane: string;
  part: PartName;
  model: string;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number | null;
  status: StreamPartStatus;
}
/** A glossary entry an answer part named differently (`found`) or left out (no `found`). */
export interface GlossaryTermIssue {
  /** The glossary entry id. */
  term: string;
  /** Its name in the lane's language. */
  expected: string;
  found?: string;
}

export interface WarningEvent {
  code: string;
  message: string;
  lane?: string;
  part?: PartName;
  /** `glossary_mismatch` only. */
  terms?: GlossaryTermIssue[];
}
export type ErrorEvent = ApiErrorBody;
export interface DoneEvent {
  messageId: string;
  status: MessageStatus;
  usage: TokenUsage;
  costUsd: number | null;
}

export type ChatEvent =
  | { type: 'meta'; data: MetaEvent }
  | { type: 'references'; data: ReferencesEvent }
  | { type: 'delta'; data: DeltaEvent }
  | { type: 'part_end'; data: PartEndEvent }
  | { type: 'warning'; data: WarningEvent }
  | { type: 'error'; data: ErrorEvent }
  | { type: 'done'; data: DoneEvent };

export type ChatEventType = ChatEvent['type'];

export interface ChatRequest {
  conversationId?: string;
  message: string;
  uiLanguage: UiLanguage;
  answerLanguage?: AnswerLanguage;
}

// ---- conversations ----

export interface ConversationSummary {
  id: string;
  title: string;
  uiLanguage: string;
  createdAt: string;
  updatedAt: string;
}

export interface StoredPart {
  text: string;
  model: string | null;
  status: StoredPartStatus;
  usage?: TokenUsage;
  latencyMs?: number;
  costUsd?: number | null;
  error?: ApiErrorBody;
}

export interface StoredLane {
  lane: string;
  role: LaneRole;
  parts: { overview: StoredPart; detail: StoredPart };
}

export interface Feedback {
  rating: 'up' | 'down';
  comment: string | null;
  createdAt: string;
}

export interface StoredMessage {
  id: string;
  role: 'user' | 'assistant';
  content: string;
  status: MessageStatus | 'streaming';
  language: string | null;
  translatedQuestion: string | null;
  createdAt: string;
  lanes: StoredLane[] | null;
  references: Reference[] | null;
  feedback: Feedback | null;
}

export interface ConversationDetail {
  conversation: ConversationSummary;
  messages: StoredMessage[];
}

// ---- feedback ----

export type Rating = 'up' | 'down';

export interface FeedbackItem {
  messageId: string;
  conversationId: string;
  question: string;
  answer: string;
  rating: Rating;
  comment: string | null;
  createdAt: string;
}

// ---- status ----

export type DependencyState = 'ok' | 'degraded' | 'denied' | 'unconfigured' | 'unreachable' | 'error';

export interface Dependency {
  name: string;
  state: DependencyState;
  detail: string;
  missingPermission?: string;
  latencyMs?: number;
  checkedAt: string;
}

export interface Feature {
  available: boolean;
  reason?: string;
}

export type FeatureName = 'chat' | 'knowledgeBase' | 'translation' | 'tokenMonitoring' | 'alarms';

export interface Status {
  mode: 'offline' | 'bedrock' | 'openai';
  provider: string;
  models: { fast: string; detail: string };
  knowledgeBase: { source: 'local' | 'bedrock-kb'; documents?: number };
  staffLanguage: string;
  dependencies: Dependency[];
  features: Record<FeatureName, Feature>;
}

// ---- translator (POST /api/translate) ----

/** The languages answers and translations can be written in. */
export type Language = 'ko' | 'en' | 'ja' | 'zh';
export type TranslateTarget = 'auto' | Language;

export interface TranslateRequest {
  text: string;
  target: TranslateTarget;
  source?: TranslateTarget;
}

export type GlossaryCategory = 'character' | 'item' | 'location' | 'game-term' | 'cs-term';

/** A glossary entry the source text mentions, and how the translation wrote it. */
export interface TranslationGlossaryTerm {
  term: string;
  category: GlossaryCategory;
  /** As written in the source text. */
  source: string;
  sourceLanguage: Language;
  /** Its name in the target language (null: the glossary has none). */
  expected: string | null;
  /** How the translation wrote it (null: not found in the translation). */
  rendered: string | null;
}

export interface TranslationViolation {
  term: string;
  expected: string;
  found?: string;
  foundLanguage?: Language;
}

export interface TranslationResult {
  originalText: string;
  detectedLanguage: Language;
  sourceLanguage: Language;
  targetLanguage: Language;
  translatedText: string;
  glossaryTerms: TranslationGlossaryTerm[];
  glossaryViolations: TranslationViolation[];
  model: string;
  usage: TokenUsage;
  latencyMs: number;
  costUsd: number | null;
}

// ---- glossary (GET /api/glossary, GET /api/glossary/status) ----

export interface GlossaryEntry {
  id: string;
  category: GlossaryCategory;
  names: Partial<Record<Language, string>>;
  aliases: Partial<Record<Language, string[]>>;
  description: string;
}

export interface Glossary {
  game: string;
  version: string;
  entries: GlossaryEntry[];
}

export interface GlossaryStatus {
  ok: boolean;
  file?: string;
  game?: string;
  version?: string;
  entries?: number;
  loadedAt?: string;
  checkedAt?: string;
  error?: { message: string; problems: string[]; since?: string };
}
