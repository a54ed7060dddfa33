import type { Language } from '../lang/languages.js';
import type { PartRequest } from '../answering/strategy.js';
import { ModelError, ZERO_USAGE, type AnswerPart, type ChatTurn, type TokenUsage } from '../models/types.js';
import { buildConversationTurns } from '../prompts/history.js';
import { estimateTokens } from '../prompts/tokens.js';
import { noDocumentsReply, partFailedMessage } from './messages.js';
import type { LanePlan, PartResult, RelayDependencies, RelayEvent, RelayRequest } from './types.js';

export interface CallRecord {
  lane: Language;
  part: AnswerPart;
  provider: string;
  modelId: string;
  usage: TokenUsage;
  latencyMs: number;
  status: PartResult['status'];
  costUsd: number | null;
  /** True when the provider reported no usage (a cancelled or cut stream) and the tokens are estimated from the text. */
  estimated?: boolean;
}

export interface RelayOptions {
  /** Told about every finished model call (the usage ledger listens here). */
  onCall?: (record: CallRecord) => void;
  /** Budget exhausted (src/usage/budgets.ts): run the overview of each lane only; the detail is skipped without a model call. */
  overviewOnly?: boolean;
}

/**
 * Runs every lane's overview and detail calls at once. Per lane, overview deltas go out as they
 * arrive; detail deltas are held until that lane's overview has ended, then sent as one delta and
 * streamed live from there. A failed part never stops its sibling or the other lanes.
 */
export async function runRelay(
  request: RelayRequest,
  deps: RelayDependencies,
  emit: (event: RelayEvent) => void,
  options: RelayOptions = {},
): Promise<PartResult[]> {
  const turns = buildConversationTurns(request.history, request.question, deps.historyTokenBudget);
  const lanes = await Promise.all(
    request.lanes.map(async (plan) =>
      documentsFor(request, plan.lane).length === 0
        ? answerWithoutDocuments(plan.lane, emit)
        : runLane({ plan, turns, request, deps, emit, options }),
    ),
  );
  return lanes.flat();
}

/** A lane's passages: its own list when the caller chose per-lane documents (offline mode), else the shared one. */
function documentsFor(request: RelayRequest, lane: Language) {
  return request.laneDocuments?.[lane] ?? request.documents;
}

/** A part answered without any model call: the fixed no-documents reply, or a detail that was skipped. */
function modelFreePart(lane: Language, part: AnswerPart, text: string, status: PartResult['status']): PartResult {
  return { lane, part, text, model: null, status, usage: { ...ZERO_USAGE }, latencyMs: 0, costUsd: 0 };
}

function answerWithoutDocuments(lane: Language, emit: (event: RelayEvent) => void): PartResult[] {
  const overview = modelFreePart(lane, 'overview', noDocumentsReply(lane), 'complete');
  emit({ type: 'delta', lane, part: 'overview', text: overview.text });
  emit({ type: 'part_end', result: overview });
  return [overview, modelFreePart(lane, 'detail', '', 'skipped')];
}

/** Everything one lane's two calls share. */
interface LaneRun {
  plan: LanePlan;
  turns: ChatTurn[];
  request: RelayRequest;
  deps: RelayDependencies;
  emit: (event: RelayEvent) => void;
  options: RelayOptions;
}

async function runLane(run: LaneRun): Promise<PartResult[]> {
  const { emit } = run;
  const { lane } = run.plan;
  let detailLive = false;
  const held: string[] = [];
  let heldEnd: PartResult | null = null;

  const releaseDetail = () => {
    detailLive = true;
    if (held.length > 0) emit({ type: 'delta', lane, part: 'detail', text: held.join('') });
    held.length = 0;
    if (heldEnd) emit({ type: 'part_end', result: heldEnd });
  };

  const overview = runPart('overview', run, (text) => emit({ type: 'delta', lane, part: 'overview', text })).then((result) => {
    emit({ type: 'part_end', result });
    releaseDetail();
    return result;
  });
  if (run.options.overviewOnly) return [await overview, modelFreePart(lane, 'detail', '', 'skipped')];
  const detail = runPart('detail', run, (text) => {
    if (detailLive) emit({ type: 'delta', lane, part: 'detail', text });
    else held.push(text);
  }).then((result) => {
    if (detailLive) emit({ type: 'part_end', result });
    else heldEnd = result;
    return result;
  });
  return Promise.all([overview, detail]);
}

async function runPart(part: AnswerPart, run: LaneRun, onDelta: (text: string) => void): Promise<PartResult> {
  const { turns, request, deps, emit, options } = run;
  const { answering, modelId, inference } = deps.models[part];
  const { lane } = run.plan;
  const partRequest: PartRequest = {
    modelId,
    lane,
    part,
    question: request.question,
    turns,
    documents: documentsFor(request, lane),
    inference,
    signal: request.signal,
  };
  const started = performance.now();
  let text = '';
  let usage: TokenUsage = { ...ZERO_USAGE };
  let reported = false;
  let status: PartResult['status'] = 'complete';
  let error: PartResult['error'];
  let estimated = false;
  const abortedBeforeStart = request.signal.aborted;
  try {
    for await (const event of answering.stream(partRequest)) {
      if (event.type === 'delta') {
        if (event.text === '') continue;
        text += event.text;
        onDelta(event.text);
      } else {
        usage = event.usage;
        reported = true;
      }
    }
  } catch (caught) {
    const failure =
      caught instanceof ModelError ? caught : new ModelError('model_error', 'The model call failed unexpectedly', String(caught));
    usage = failure.partialUsage ?? usage;
    reported ||= failure.partialUsage !== undefined;
    // A stream cancelled by the client (or cut) after the model started reports nothing, yet is
    // billed: estimate it from the prompt and the text received, flagged as estimated. A call
    // refused before any work (denied, throttled, invalid) costs nothing and stays at zero.
    if (!reported && answering.capabilities.billed && (text !== '' || (failure.code === 'cancelled' && !abortedBeforeStart))) {
      usage = {
        inputTokens: answering.promptTokens(partRequest),
        outputTokens: estimateTokens(text),
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
      };
      estimated = true;
    }
    status = text === '' ? 'failed' : 'partial';
    error = { code: failure.code === 'model_error' ? 'model_error' : `model_${failure.code}`, message: failure.message };
    if (failure.code !== 'cancelled') {
      emit({ type: 'warning', code: 'part_failed', message: partFailedMessage(part, lane, failure.message), lane, part });
    }
  }
  const latencyMs = Math.round(performance.now() - started);
  const costUsd = deps.price(modelId, usage, answering.capabilities.billed);
  options.onCall?.({
    lane,
    part,
    provider: answering.provider,
    modelId,
    usage,
    latencyMs,
    status,
    costUsd,
    ...(estimated ? { estimated } : {}),
  });
  return { lane, part, text, model: modelId, status, usage, latencyMs, costUsd, ...(error ? { error } : {}) };
}
