import type { Logger } from '../log/logger.js';
import { errorFields } from '../log/logger.js';
import { detectLanguage } from '../lang/detect.js';
import type { Language, UiLanguage } from '../lang/languages.js';
import { RetrievalError, type RetrievedDocument, type Retriever } from '../knowledge/types.js';
import { ZERO_USAGE, type ChatTurn, type TokenUsage } from '../models/types.js';
import { planLanes } from '../relay/plan.js';
import { runRelay, type CallRecord } from '../relay/relay.js';
import type { LanePlan, PartResult, RelayDependencies } from '../relay/types.js';
import type { ConversationRepository, Message, StoredLane } from '../store/conversations.js';
import type { UsageLedger } from '../usage/ledger.js';
import { AppError } from './errors.js';
import type { ChatEvent, ReferenceView } from './events.js';

export interface ChatInput {
  conversationId?: string | undefined;
  message: string;
  uiLanguage: UiLanguage;
  answerLanguage: Language | 'auto';
  /** null in anonymous single-user mode. */
  userId: string | null;
  signal: AbortSignal;
}

export interface ChatServiceDependencies {
  conversations: ConversationRepository;
  ledger: UsageLedger;
  retriever: Retriever;
  /** Used, with a warning, when the primary retriever fails (the local KB behind a Bedrock KB). */
  fallbackRetriever?: Retriever | undefined;
  relay: RelayDependencies;
  staffLanguage: Language;
  retrieveTopK: number;
  logger: Logger;
}

const HISTORY_MESSAGES = 20;

/**
 * The answer use case: store the question, retrieve, relay every lane, store the answer.
 * Emits the API's chat events through `emit`; throws AppError only before the first event.
 */
export class ChatService {
  constructor(private readonly deps: ChatServiceDependencies) {}

  async answer(input: ChatInput, emit: (event: ChatEvent) => void): Promise<void> {
    const { conversations } = this.deps;
    const conversation = input.conversationId
      ? await conversations.find(input.conversationId, input.userId ?? undefined)
      : await conversations.create({ userId: input.userId, firstMessage: input.message, uiLanguage: input.uiLanguage });
    if (!conversation) throw new AppError('conversation_not_found', 404, 'No conversation with that id.');

    const detected = detectLanguage(input.message, input.uiLanguage);
    const answerLanguage = input.answerLanguage === 'auto' ? detected : input.answerLanguage;
    const lanes = planLanes(answerLanguage, this.deps.staffLanguage);
    const history = await this.history(conversation.id);

    // Stored before any model call: a crash from here on still leaves the question on record.
    const userMessage = await conversations.appendUserMessage(conversation.id, input.message, detected);
    const assistant = await conversations.startAssistantMessage(conversation.id, answerLanguage);
    emit({
      event: 'meta',
      data: { conversationId: conversation.id, messageId: assistant.id, userMessageId: userMessage.id, detectedLanguage: detected, lanes },
    });

    const documents = await this.retrieve(input.message, input.signal, emit);
    if (documents === null) {
      await conversations.finishAssistantMessage(assistant.id, { content: '', lanes: emptyLanes(lanes), references: [], status: 'failed' });
      emit({ event: 'done', data: { messageId: assistant.id, status: 'failed', usage: { ...ZERO_USAGE }, costUsd: 0 } });
      return;
    }
    const references = documents.map(toReference);
    emit({ event: 'references', data: { documents: references } });

    const ledgerWrites: Promise<void>[] = [];
    const onCall = (call: CallRecord) => ledgerWrites.push(this.recordCall(call, conversation.id, assistant.id, input.userId));
    const parts = await runRelay(
      { lanes, question: input.message, history, documents, signal: input.signal },
      this.deps.relay,
      (event) => {
        if (event.type === 'delta') emit({ event: 'delta', data: { lane: event.lane, part: event.part, text: event.text } });
        else if (event.type === 'warning') emit({ event: 'warning', data: { code: event.code, message: event.message, ...(event.lane ? { lane: event.lane } : {}), ...(event.part ? { part: event.part } : {}) } });
        else emit({ event: 'part_end', data: partEndData(event.result) });
      },
      { onCall },
    );

    const status = overallStatus(parts, input.signal.aborted);
    const storedLanes = toStoredLanes(lanes, parts);
    const customer = storedLanes.find((l) => l.role === 'customer') ?? storedLanes[0];
    const content = customer ? [customer.parts.overview.text, customer.parts.detail.text].filter((t) => t !== '').join('\n\n') : '';
    await conversations.finishAssistantMessage(assistant.id, { content, lanes: storedLanes, references, status });
    await Promise.all(ledgerWrites);
    const usage = sumUsage(parts);
    const costUsd = parts.some((p) => p.costUsd === null) ? null : round(parts.reduce((sum, p) => sum + (p.costUsd ?? 0), 0));
    emit({ event: 'done', data: { messageId: assistant.id, status, usage, costUsd } });
  }

  private async history(conversationId: string): Promise<ChatTurn[]> {
    const messages = await this.deps.conversations.messages(conversationId);
    return messages.slice(-HISTORY_MESSAGES).filter(usableInHistory).map((m) => ({ role: m.role, text: m.content }));
  }

  /** Returns null (after an error event) when no retriever could answer. Never reports a failure as "no documents". */
  private async retrieve(query: string, signal: AbortSignal, emit: (event: ChatEvent) => void): Promise<RetrievedDocument[] | null> {
    const { retriever, fallbackRetriever, retrieveTopK, logger } = this.deps;
    try {
      return await retriever.retrieve(query, { limit: retrieveTopK, signal });
    } catch (error) {
      logger.warn({ ...errorFields(error), retriever: retriever.source }, 'retrieval failed');
      const reason = error instanceof RetrievalError ? error.message : 'The knowledge base could not be searched.';
      if (fallbackRetriever && !signal.aborted) {
        emit({ event: 'warning', data: { code: 'retrieval_fallback', message: `${reason} Answering from the local knowledge base instead.` } });
        try {
          return await fallbackRetriever.retrieve(query, { limit: retrieveTopK, signal });
        } catch (fallbackError) {
          logger.error({ ...errorFields(fallbackError), retriever: fallbackRetriever.source }, 'fallback retrieval failed');
        }
      }
      const code = error instanceof RetrievalError && error.code === 'denied' ? 'retrieval_denied' : 'retrieval_failed';
      emit({ event: 'error', data: { code, message: reason } });
      return null;
    }
  }

  private async recordCall(call: CallRecord, conversationId: string, messageId: string, userId: string | null): Promise<void> {
    try {
      await this.deps.ledger.record({
        conversationId,
        messageId,
        userId,
        purpose: call.part,
        lane: call.lane,
        provider: call.provider,
        modelId: call.modelId,
        usage: call.usage,
        latencyMs: call.latencyMs,
        status: call.status,
        costUsd: call.costUsd,
        estimated: false,
      });
    } catch (error) {
      this.deps.logger.error({ ...errorFields(error), conversationId, messageId, modelId: call.modelId }, 'usage ledger write failed');
    }
  }
}

function usableInHistory(message: Message): boolean {
  return message.role === 'user' || (message.status !== 'streaming' && message.content !== '');
}

function toReference(doc: RetrievedDocument): ReferenceView {
  return { id: doc.id, title: doc.title, uri: doc.uri, score: doc.score, excerpt: doc.excerpt };
}

function partEndData(result: PartResult) {
  return {
    lane: result.lane,
    part: result.part,
    model: result.model,
    usage: result.usage,
    latencyMs: result.latencyMs,
    costUsd: result.costUsd,
    status: result.status,
  };
}

function overallStatus(parts: PartResult[], aborted: boolean): 'complete' | 'partial' | 'failed' {
  const produced = parts.filter((p) => p.status !== 'skipped');
  if (produced.every((p) => p.status === 'complete') && !aborted) return 'complete';
  if (produced.every((p) => p.status === 'failed')) return 'failed';
  return 'partial';
}

function emptyPart() {
  return { text: '', model: null, status: 'failed' as const };
}

function emptyLanes(lanes: LanePlan[]): StoredLane[] {
  return lanes.map((l) => ({ lane: l.lane, role: l.role, parts: { overview: emptyPart(), detail: emptyPart() } }));
}

function toStoredLanes(lanes: LanePlan[], parts: PartResult[]): StoredLane[] {
  const stored = (lane: string, part: 'overview' | 'detail') => {
    const found = parts.find((p) => p.lane === lane && p.part === part);
    if (!found) return emptyPart();
    return {
      text: found.text,
      model: found.model,
      status: found.status,
      usage: found.usage,
      latencyMs: found.latencyMs,
      costUsd: found.costUsd,
      ...(found.error ? { error: found.error } : {}),
    };
  };
  return lanes.map((l) => ({ lane: l.lane, role: l.role, parts: { overview: stored(l.lane, 'overview'), detail: stored(l.lane, 'detail') } }));
}

function sumUsage(parts: PartResult[]): TokenUsage {
  return parts.reduce<TokenUsage>(
    (sum, p) => ({
      inputTokens: sum.inputTokens + p.usage.inputTokens,
      outputTokens: sum.outputTokens + p.usage.outputTokens,
      cacheReadInputTokens: sum.cacheReadInputTokens + p.usage.cacheReadInputTokens,
      cacheWriteInputTokens: sum.cacheWriteInputTokens + p.usage.cacheWriteInputTokens,
    }),
    { ...ZERO_USAGE },
  );
}

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}
