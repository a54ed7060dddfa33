import type {
  ChatEvent,
  GlossaryTermIssue,
  LaneRole,
  MessageStatus,
  PartName,
  Reference,
  StoredLane,
  StoredMessage,
  StoredPart,
  TokenUsage,
} from '../api/types';

/** How far a part has got. `waiting`: nothing arrived yet; `skipped`: ended without any text. */
export type PartPhase = 'waiting' | 'streaming' | 'complete' | 'partial' | 'failed' | 'skipped';

/** What happened to the whole answer, from the client's point of view. */
export type AnswerPhase = 'connecting' | 'streaming' | 'done' | 'stopped' | 'interrupted' | 'failed';

export interface Notice {
  code: string;
  message: string;
}

export interface PartView {
  text: string;
  phase: PartPhase;
  model: string | null;
  usage: TokenUsage | null;
  latencyMs: number | null;
  costUsd: number | null;
  notices: Notice[];
  /** Glossary names this part got wrong or left out (`glossary_mismatch` warnings), shown as a discreet chip. */
  glossary: GlossaryTermIssue[];
}

export interface LaneView {
  lane: string;
  role: LaneRole;
  parts: Record<PartName, PartView>;
}

export interface AnswerView {
  conversationId: string | null;
  messageId: string | null;
  userMessageId: string | null;
  detectedLanguage: string | null;
  translatedQuestion: string | null;
  lanes: LaneView[];
  references: Reference[];
  /** Warnings not tied to one part (they may still name a lane). */
  warnings: (Notice & { lane?: string })[];
  phase: AnswerPhase;
  status: MessageStatus | null;
  usage: TokenUsage | null;
  costUsd: number | null;
  /** Why the answer ended early (fatal `error` event, network drop). */
  error: Notice | null;
}

/** SSE events plus what the client itself observes. */
export type StreamAction = ChatEvent | { event: 'stopped' } | { event: 'interrupted' } | { event: 'failed'; data: Notice };

export const PART_NAMES: readonly PartName[] = ['overview', 'detail'];

export function emptyPart(): PartView {
  return { text: '', phase: 'waiting', model: null, usage: null, latencyMs: null, costUsd: null, notices: [], glossary: [] };
}

export function initialAnswer(): AnswerView {
  return {
    conversationId: null,
    messageId: null,
    userMessageId: null,
    detectedLanguage: null,
    translatedQuestion: null,
    lanes: [],
    references: [],
    warnings: [],
    phase: 'connecting',
    status: null,
    usage: null,
    costUsd: null,
    error: null,
  };
}

function newLane(lane: string, role: LaneRole): LaneView {
  return { lane, role, parts: { overview: emptyPart(), detail: emptyPart() } };
}

/** Returns the lanes with `lane` present (appended when an event names a lane `meta` did not). */
function ensureLane(lanes: LaneView[], lane: string): LaneView[] {
  if (lanes.some((l) => l.lane === lane)) return lanes;
  return [...lanes, newLane(lane, lanes.length === 0 ? 'customer' : 'staff')];
}

function updatePart(lanes: LaneView[], lane: string, part: PartName, update: (p: PartView) => PartView): LaneView[] {
  return ensureLane(lanes, lane).map((l) => (l.lane === lane ? { ...l, parts: { ...l.parts, [part]: update(l.parts[part]) } } : l));
}

const isOpen = (phase: PartPhase) => phase === 'waiting' || phase === 'streaming';

/** Closes parts that never got their `part_end`: text that arrived stays as `partial`. */
function closeOpenParts(lanes: LaneView[]): LaneView[] {
  return lanes.map((l) => {
    const parts = { ...l.parts };
    for (const name of PART_NAMES) {
      const p = parts[name];
      if (isOpen(p.phase)) parts[name] = { ...p, phase: p.text ? 'partial' : 'skipped' };
    }
    return { ...l, parts };
  });
}

const isFinished = (phase: AnswerPhase) => phase === 'done' || phase === 'stopped' || phase === 'interrupted' || phase === 'failed';

/** Pure: folds one chat event (or client observation) into the answer's view state. */
export function streamReducer(state: AnswerView, action: StreamAction): AnswerView {
  // After the answer ended, late events (a `done` racing an abort, say) change nothing.
  if (isFinished(state.phase)) return state;
  switch (action.event) {
    case 'meta': {
      const { conversationId, messageId, userMessageId, detectedLanguage, translatedQuestion, lanes } = action.data;
      const known = new Map(state.lanes.map((l) => [l.lane, l]));
      const ordered = lanes.map((info) => {
        const existing = known.get(info.lane);
        return existing ? { ...existing, role: info.role } : newLane(info.lane, info.role);
      });
      const extra = state.lanes.filter((l) => !lanes.some((info) => info.lane === l.lane));
      return {
        ...state,
        conversationId,
        messageId,
        userMessageId: userMessageId ?? null,
        detectedLanguage: detectedLanguage ?? null,
        translatedQuestion: translatedQuestion ?? null,
        lanes: [...ordered, ...extra],
        phase: 'streaming',
      };
    }
    case 'references':
      return { ...state, references: Array.isArray(action.data.documents) ? action.data.documents : [] };
    case 'delta': {
      const { lane, part, text } = action.data;
      if (typeof text !== 'string' || !isPartName(part)) return state;
      return {
        ...state,
        phase: 'streaming',
        lanes: updatePart(state.lanes, lane, part, (p) => ({
          ...p,
          text: p.text + text,
          phase: isOpen(p.phase) ? 'streaming' : p.phase,
        })),
      };
    }
    case 'part_end': {
      const { lane, part, model, usage, latencyMs, costUsd, status } = action.data;
      if (!isPartName(part)) return state;
      return {
        ...state,
        lanes: updatePart(state.lanes, lane, part, (p) => ({
          ...p,
          phase: status === 'complete' && !p.text ? 'skipped' : status,
          model: model ?? p.model,
          usage: usage ?? null,
          latencyMs: typeof latencyMs === 'number' ? latencyMs : null,
          costUsd: typeof costUsd === 'number' ? costUsd : null,
        })),
      };
    }
    case 'warning': {
      const { code, message, lane, part } = action.data;
      const notice = { code, message };
      const terms = glossaryTerms(action.data.terms);
      if (code === 'glossary_mismatch' && lane !== undefined && part !== undefined && isPartName(part) && terms.length > 0) {
        return { ...state, lanes: updatePart(state.lanes, lane, part, (p) => ({ ...p, glossary: mergeTerms(p.glossary, terms) })) };
      }
      if (lane !== undefined && part !== undefined && isPartName(part)) {
        return { ...state, lanes: updatePart(state.lanes, lane, part, (p) => ({ ...p, notices: [...p.notices, notice] })) };
      }
      return { ...state, warnings: [...state.warnings, lane === undefined ? notice : { ...notice, lane }] };
    }
    case 'error':
      return {
        ...state,
        phase: 'failed',
        status: 'failed',
        error: { code: action.data.code, message: action.data.message },
        lanes: closeOpenParts(state.lanes),
      };
    case 'done': {
      const { messageId, status, usage, costUsd } = action.data;
      return {
        ...state,
        messageId: messageId ?? state.messageId,
        phase: 'done',
        status,
        usage: usage ?? null,
        costUsd: typeof costUsd === 'number' ? costUsd : null,
        lanes: closeOpenParts(state.lanes),
      };
    }
    case 'stopped':
      return { ...state, phase: 'stopped', status: 'partial', lanes: closeOpenParts(state.lanes) };
    case 'interrupted':
      return {
        ...state,
        phase: 'interrupted',
        status: 'partial',
        error: { code: 'stream_interrupted', message: 'The connection dropped before the answer finished.' },
        lanes: closeOpenParts(state.lanes),
      };
    case 'failed':
      return { ...state, phase: 'failed', status: 'failed', error: action.data, lanes: closeOpenParts(state.lanes) };
    default:
      return state;
  }
}

/** The well-formed `terms` of a glossary_mismatch warning (anything else is dropped). */
function glossaryTerms(value: unknown): GlossaryTermIssue[] {
  if (!Array.isArray(value)) return [];
  const out: GlossaryTermIssue[] = [];
  for (const item of value as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const { term, expected, found } = item as Record<string, unknown>;
    if (typeof term !== 'string' || typeof expected !== 'string') continue;
    out.push(typeof found === 'string' ? { term, expected, found } : { term, expected });
  }
  return out;
}

/** A part is checked twice (its own text, then the whole lane with the detail): report each term once. */
function mergeTerms(current: GlossaryTermIssue[], added: GlossaryTermIssue[]): GlossaryTermIssue[] {
  const key = (t: GlossaryTermIssue) => `${t.term}\u0000${t.found ?? ''}`;
  const seen = new Set(current.map(key));
  const merged = [...current];
  for (const term of added) {
    if (seen.has(key(term))) continue;
    seen.add(key(term));
    merged.push(term);
  }
  return merged;
}

function isPartName(value: unknown): value is PartName {
  return value === 'overview' || value === 'detail';
}

/** True while this part is the one receiving text (the typing cursor goes here). */
export function isActivePart(answer: AnswerView, lane: LaneView, part: PartName): boolean {
  if (answer.phase !== 'streaming' && answer.phase !== 'connecting') return false;
  const overviewOpen = isOpen(lane.parts.overview.phase);
  if (part === 'overview') return overviewOpen;
  return !overviewOpen && isOpen(lane.parts.detail.phase);
}

// ---- read-back: stored messages → the same view state ----

function partFromStored(stored: StoredPart | undefined): PartView {
  if (!stored) return { ...emptyPart(), phase: 'skipped' };
  return {
    text: stored.text ?? '',
    phase: stored.status,
    model: stored.model,
    usage: stored.usage ?? null,
    latencyMs: stored.latencyMs ?? null,
    costUsd: stored.costUsd ?? null,
    notices: stored.error ? [{ code: stored.error.code, message: stored.error.message }] : [],
    glossary: [],
  };
}

function laneFromStored(stored: StoredLane): LaneView {
  return {
    lane: stored.lane,
    role: stored.role,
    parts: { overview: partFromStored(stored.parts?.overview), detail: partFromStored(stored.parts?.detail) },
  };
}

export function answerFromStored(message: StoredMessage, conversationId: string): AnswerView {
  const status: MessageStatus = message.status === 'streaming' ? 'partial' : message.status;
  let lanes = (message.lanes ?? []).map(laneFromStored);
  if (lanes.length === 0 && message.content) {
    const overview: PartView = { ...emptyPart(), text: message.content, phase: status === 'complete' ? 'complete' : 'partial' };
    lanes = [{ lane: message.language ?? 'ko', role: 'customer', parts: { overview, detail: { ...emptyPart(), phase: 'skipped' } } }];
  }
  return {
    ...initialAnswer(),
    conversationId,
    messageId: message.id,
    detectedLanguage: message.language,
    translatedQuestion: message.translatedQuestion,
    lanes,
    references: message.references ?? [],
    phase: 'done',
    status,
  };
}
