import type { Language } from '../lang/languages.js';
import { ModelError, ZERO_USAGE, type AnswerPart, type ChatTurn, type TokenUsage } from '../models/types.js';
import { buildConversationTurns } from '../prompts/history.js';
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
}

export interface RelayOptions {
  /** Told about every finished model call (the usage ledger listens here). */
  onCall?: (record: CallRecord) => void;
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
  if (request.documents.length === 0) return request.lanes.flatMap((plan) => answerWithoutDocuments(plan.lane, emit));
  const turns = buildConversationTurns(request.history, request.question, deps.historyTokenBudget);
  const lanes = await Promise.all(request.lanes.map((plan) => runLane(plan, turns, request, deps, emit, options)));
  return lanes.flat();
}

function answerWithoutDocuments(lane: Language, emit: (event: RelayEvent) => void): PartResult[] {
  const text = noDocumentsReply(lane);
  const overview: PartResult = { lane, part: 'overview', text, model: null, status: 'complete', usage: { ...ZERO_USAGE }, latencyMs: 0, costUsd: 0 };
  const detail: PartResult = { lane, part: 'detail', text: '', model: null, status: 'skipped', usage: { ...ZERO_USAGE }, latencyMs: 0, costUsd: 0 };
  emit({ type: 'delta', lane, part: 'overview', text });
  emit({ type: 'part_end', result: overview });
  return [overview, detail];
}

async function runLane(
  plan: LanePlan,
  turns: ChatTurn[],
  request: RelayRequest,
  deps: RelayDependencies,
  emit: (event: RelayEvent) => void,
  options: RelayOptions,
): Promise<PartResult[]> {
  const { lane } = plan;
  let detailLive = false;
  const held: string[] = [];
  let heldEnd: PartResult | null = null;

  const releaseDetail = () => {
    detailLive = true;
    if (held.length > 0) emit({ type: 'delta', lane, part: 'detail', text: held.join('') });
    held.length = 0;
    if (heldEnd) emit({ type: 'part_end', result: heldEnd });
  };

  const overview = runPart('overview', plan, turns, request, deps, emit, options, (text) => emit({ type: 'delta', lane, part: 'overview', text })).then(
    (result) => {
      emit({ type: 'part_end', result });
      releaseDetail();
      return result;
    },
  );
  const detail = runPart('detail', plan, turns, request, deps, emit, options, (text) => {
    if (detailLive) emit({ type: 'delta', lane, part: 'detail', text });
    else held.push(text);
  }).then((result) => {
    if (detailLive) emit({ type: 'part_end', result });
    else heldEnd = result;
    return result;
  });
  return Promise.all([overview, detail]);
}

async function runPart(
  part: AnswerPart,
  plan: LanePlan,
  turns: ChatTurn[],
  request: RelayRequest,
  deps: RelayDependencies,
  emit: (event: RelayEvent) => void,
  options: RelayOptions,
  onDelta: (text: string) => void,
): Promise<PartResult> {
  const { model, modelId, inference } = deps.models[part];
  const { lane } = plan;
  const prompt = deps.prompts.answer(part, lane, request.documents);
  const started = performance.now();
  let text = '';
  let usage: TokenUsage = { ...ZERO_USAGE };
  let status: PartResult['status'] = 'complete';
  let error: PartResult['error'];
  try {
    const stream = model.stream({
      modelId,
      staticSystem: prompt.staticSystem,
      dynamicSystem: prompt.dynamicSystem,
      messages: turns,
      inference,
      signal: request.signal,
      context: { question: request.question, language: lane, part, documents: request.documents },
    });
    for await (const event of stream) {
      if (event.type === 'delta') {
        if (event.text === '') continue;
        text += event.text;
        onDelta(event.text);
      } else {
        usage = event.usage;
      }
    }
  } catch (caught) {
    const failure = caught instanceof ModelError ? caught : new ModelError('model_error', 'The model call failed unexpectedly', String(caught));
    usage = failure.partialUsage ?? usage;
    status = text === '' ? 'failed' : 'partial';
    error = { code: `model_${failure.code}`, message: failure.message };
    if (failure.code !== 'cancelled') {
      emit({ type: 'warning', code: 'part_failed', message: partFailedMessage(part, lane, failure.message), lane, part });
    }
  }
  const latencyMs = Math.round(performance.now() - started);
  const costUsd = deps.price(modelId, usage, model.provider);
  options.onCall?.({ lane, part, provider: model.provider, modelId, usage, latencyMs, status, costUsd });
  return { lane, part, text, model: modelId, status, usage, latencyMs, costUsd, ...(error ? { error } : {}) };
}
