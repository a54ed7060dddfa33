import type { Logger } from '../log/logger.js';
import { errorFields } from '../log/logger.js';
import { AnswerGlossaryCheck } from '../glossary/answer-check.js';
import type { Glossary } from '../glossary/types.js';
import { detectLanguage, hasLetters } from '../lang/detect.js';
import { LANGUAGE_NAMES, type Language, type UiLanguage } from '../lang/languages.js';
import { RetrievalError, type RetrievedDocument, type Retriever } from '../knowledge/types.js';
import { ZERO_USAGE, type ChatTurn, type TokenUsage } from '../models/types.js';
import type { PromptBuilder } from '../prompts/builder.js';
import { planAnswer } from '../relay/plan.js';
import { runRelay, type CallRecord } from '../relay/relay.js';
import type { LanePlan, PartResult, RelayDependencies } from '../relay/types.js';
import { documentsPerLane, type CatalogueDocument, type LaneDocuments } from '../translate/lane-documents.js';
import type { QuestionTranslation, QuestionTranslator } from '../translate/question.js';
import { reciprocalRankFusion } from '../translate/rrf.js';
import type { ConversationRepository, Message, StoredLane } from '../store/conversations.js';
import type { AnswerBudget } from '../usage/answer-budget.js';
import type { Admission } from '../usage/budgets.js';
import type { UsageLedger } from '../usage/ledger.js';
import { AppError } from '../errors/app-error.js';
import type { ChatEvent } from '../contract/chat.js';
import type { ErrorCode, WarningCode } from '../contract/codes.js';
import type { Reference as ReferenceView } from '../contract/common.js';

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
  /** Translates a question that is not in the staff language, for a second search; absent = no translation. */
  questionTranslator?: QuestionTranslator | undefined;
  /** The current glossary (hot-reloaded); used for the consistency check of every answer part. */
  glossary?: (() => Glossary | null) | undefined;
  /** The current prompt builder (rebuilt on glossary reload); overrides `relay.prompts`. */
  prompts?: (() => PromptBuilder) | undefined;
  /**
   * Set in offline mode (no model can translate): each lane answers from passages in its own
   * language, and the client is told that translation needs a model.
   */
  offline?: { reason: string; catalogue?: CatalogueDocument[] | undefined } | undefined;
  /** Daily token/USD budgets (src/usage): full answer, overview only, or a 429 before any model call. */
  budget?: AnswerBudget | undefined;
}

interface EventWarning {
  code: WarningCode;
  message: string;
}

/** A search's result: documents, or null after a failure (with the error to report); warnings either way. */
interface SearchOutcome {
  documents: RetrievedDocument[] | null;
  warnings: EventWarning[];
  error?: { code: ErrorCode; message: string };
}

const HISTORY_MESSAGES = 20;

/**
 * The answer use case: store the question, retrieve, relay every lane, store the answer.
 * Emits the API's chat events through `emit`; throws AppError only before the first event.
 */
export class ChatService {
  constructor(private readonly deps: ChatServiceDependencies) {}

  async answer(input: ChatInput, emit: (event: ChatEvent) => void): Promise<void> {
    // Budgets are decided, and the answer's estimate reserved, before anything is stored or any
    // model is called: a refusal is a 429 (BudgetExhaustedError) before the stream. The
    // reservation is released however the answer ends; its real usage is in the ledger by then.
    const budget = this.deps.budget;
    let admission: Admission | null = null;
    if (budget) {
      const plan = planAnswer({
        questionLanguage: detectLanguage(input.message, input.uiLanguage),
        answerLanguage: input.answerLanguage,
        staffLanguage: this.deps.staffLanguage,
      });
      admission = await budget.admit({
        userId: input.userId,
        lanes: plan.lanes.length,
        translation: plan.translateQuestionTo !== null && this.deps.questionTranslator !== undefined,
        question: input.message,
      });
    }
    try {
      await this.answerAdmitted(input, emit, admission);
    } finally {
      await admission?.release().catch((error: unknown) => this.deps.logger.error(errorFields(error), 'budget reservation release failed'));
    }
  }

  private async answerAdmitted(input: ChatInput, emit: (event: ChatEvent) => void, admission: Admission | null): Promise<void> {
    const { conversations } = this.deps;
    // The owner filter: null (the anonymous user) matches only anonymous rows, never "no filter".
    const conversation = input.conversationId
      ? await conversations.find(input.conversationId, input.userId)
      : await conversations.create({ userId: input.userId, firstMessage: input.message, uiLanguage: input.uiLanguage });
    if (!conversation) throw new AppError('conversation_not_found', 404, 'No conversation with that id.');

    const detected = detectLanguage(input.message, input.uiLanguage);
    const plan = planAnswer({ questionLanguage: detected, answerLanguage: input.answerLanguage, staffLanguage: this.deps.staffLanguage });
    const { lanes, answerLanguage } = plan;
    const history = await this.history(conversation.id);

    // Stored before any model call: a crash from here on still leaves the question on record.
    const userMessage = await conversations.appendUserMessage(conversation.id, input.message, detected);
    const assistant = await conversations.startAssistantMessage(conversation.id, answerLanguage);

    // The search with the original question starts now; the translation (when the question is not
    // in the staff language) runs beside it. meta waits for the translation so it can carry it: the
    // relay needs the translated search anyway, so this delays no answer text.
    const originalSearch = this.search(input.message, input.signal);
    // A question without letters (an order number, an emoji) has nothing to translate.
    const translator = plan.translateQuestionTo !== null && hasLetters(input.message) ? this.deps.questionTranslator : undefined;
    const translation: QuestionTranslation | null =
      translator && plan.translateQuestionTo !== null
        ? await translator.translate({ text: input.message, source: detected, target: plan.translateQuestionTo, signal: input.signal })
        : null;
    const translatedQuestion = translation?.ok ? translation.text : undefined;
    const translatedSearch = translatedQuestion !== undefined ? this.search(translatedQuestion, input.signal) : undefined;
    emit({
      event: 'meta',
      data: {
        conversationId: conversation.id,
        messageId: assistant.id,
        userMessageId: userMessage.id,
        detectedLanguage: detected,
        ...(translatedQuestion !== undefined ? { translatedQuestion } : {}),
        lanes,
      },
    });
    // budget_warning (80 % used) or budget_degraded (this answer is the overview only).
    for (const notice of admission?.warnings ?? []) emit({ event: 'warning', data: notice });

    const ledgerWrites: Promise<void>[] = [];
    if (translation) {
      ledgerWrites.push(
        this.recordTranslation(translation, plan.translateQuestionTo ?? detected, conversation.id, assistant.id, input.userId),
      );
      if (!translation.ok && translation.code !== 'cancelled') {
        emit({
          event: 'warning',
          data: { code: 'translation_failed', message: `${translation.message} Answering from the original question only.` },
        });
      }
    }
    const offline = this.deps.offline;
    if (offline && (lanes.length > 1 || plan.translateQuestionTo !== null)) {
      emit({
        event: 'warning',
        data: {
          code: 'translation_unavailable',
          message: `Nothing was translated: ${offline.reason}. Each answer lane quotes knowledge-base passages written in its own language where there are any; translating questions and answers needs a model (MODEL_PROVIDER=bedrock or openai).`,
        },
      });
    }

    const documents = await this.mergeSearches(await originalSearch, translatedSearch ? await translatedSearch : undefined, emit);
    const usageOfTranslation = translation ? [translation] : [];
    if (documents === null) {
      await conversations.finishAssistantMessage(assistant.id, {
        content: '',
        lanes: emptyLanes(lanes),
        references: [],
        status: 'failed',
        translatedQuestion: translatedQuestion ?? null,
      });
      await Promise.all(ledgerWrites);
      emit({
        event: 'done',
        data: { messageId: assistant.id, status: 'failed', usage: sumUsage(usageOfTranslation), costUsd: sumCost(usageOfTranslation) },
      });
      return;
    }

    const perLane = offline ? await this.offlineLaneDocuments(lanes, input.message, documents, input.signal) : undefined;
    const used = perLane ? uniqueDocuments([documents, ...lanes.map((l) => perLane.byLane[l.lane] ?? [])]) : documents;
    const references = used.map(toReference);
    emit({ event: 'references', data: { documents: references } });
    if (perLane) {
      for (const { lane } of lanes) {
        if (perLane.sources[lane] !== 'other-language') continue;
        emit({
          event: 'warning',
          data: {
            code: 'lane_language_unavailable',
            message: `No ${LANGUAGE_NAMES[lane]} passage matches this question, and offline mode cannot translate: this lane quotes passages in another language.`,
            lane,
          },
        });
      }
    }

    const glossary = this.deps.glossary?.() ?? null;
    const documentTexts = (lane: Language) => (perLane?.byLane[lane] ?? documents).map((doc) => `${doc.title}\n${doc.content}`);
    const glossaryCheck =
      glossary && !offline ? new AnswerGlossaryCheck(glossary, [input.message, translatedQuestion ?? ''].join('\n'), documentTexts) : null;

    const onCall = (call: CallRecord) => ledgerWrites.push(this.recordCall(call, conversation.id, assistant.id, input.userId));
    const relayDeps = this.deps.prompts ? { ...this.deps.relay, prompts: this.deps.prompts() } : this.deps.relay;
    const parts = await runRelay(
      { lanes, question: input.message, history, documents, ...(perLane ? { laneDocuments: perLane.byLane } : {}), signal: input.signal },
      relayDeps,
      (event) => {
        if (event.type === 'delta') emit({ event: 'delta', data: { lane: event.lane, part: event.part, text: event.text } });
        else if (event.type === 'warning')
          emit({
            event: 'warning',
            data: {
              code: event.code,
              message: event.message,
              ...(event.lane ? { lane: event.lane } : {}),
              ...(event.part ? { part: event.part } : {}),
            },
          });
        else {
          const { result } = event;
          emit({ event: 'part_end', data: partEndData(result) });
          const mismatch = glossaryCheck?.partEnded({
            lane: result.lane,
            part: result.part,
            text: result.text,
            skip: result.model === null || result.status === 'failed' || input.signal.aborted,
          });
          if (mismatch) {
            emit({
              event: 'warning',
              data: {
                code: 'glossary_mismatch',
                message: mismatch.message,
                lane: result.lane,
                part: result.part,
                terms: mismatch.violations.map((v) => ({
                  term: v.term,
                  expected: v.expected,
                  ...(v.found !== undefined ? { found: v.found } : {}),
                })),
              },
            });
          }
        }
      },
      { onCall, ...(admission?.mode === 'overview-only' ? { overviewOnly: true } : {}) },
    );

    const status = overallStatus(parts, input.signal.aborted);
    const storedLanes = toStoredLanes(lanes, parts);
    const customer = storedLanes.find((l) => l.role === 'customer') ?? storedLanes[0];
    const content = customer ? [customer.parts.overview.text, customer.parts.detail.text].filter((t) => t !== '').join('\n\n') : '';
    await conversations.finishAssistantMessage(assistant.id, {
      content,
      lanes: storedLanes,
      references,
      status,
      translatedQuestion: translatedQuestion ?? null,
    });
    await Promise.all(ledgerWrites);
    // The request's whole cost: the question translation plus every part.
    const calls = [...usageOfTranslation, ...parts];
    emit({ event: 'done', data: { messageId: assistant.id, status, usage: sumUsage(calls), costUsd: sumCost(calls) } });
  }

  private async history(conversationId: string): Promise<ChatTurn[]> {
    const messages = await this.deps.conversations.messages(conversationId);
    return messages
      .slice(-HISTORY_MESSAGES)
      .filter(usableInHistory)
      .map((m) => ({ role: m.role, text: m.content }));
  }

  /**
   * One search, falling back to the local knowledge base when the primary fails. Never throws and
   * never emits (it may run before meta): the caller reports its warnings and error. A failure is
   * never reported as "no documents".
   */
  private async search(query: string, signal: AbortSignal): Promise<SearchOutcome> {
    const { retriever, fallbackRetriever, retrieveTopK, logger } = this.deps;
    try {
      return { documents: await retriever.retrieve(query, { limit: retrieveTopK, signal }), warnings: [] };
    } catch (error) {
      logger.warn({ ...errorFields(error), retriever: retriever.source }, 'retrieval failed');
      const reason = error instanceof RetrievalError ? error.message : 'The knowledge base could not be searched.';
      const warnings: EventWarning[] = [];
      if (fallbackRetriever && !signal.aborted) {
        warnings.push({ code: 'retrieval_fallback', message: `${reason} Answering from the local knowledge base instead.` });
        try {
          return { documents: await fallbackRetriever.retrieve(query, { limit: retrieveTopK, signal }), warnings };
        } catch (fallbackError) {
          logger.error({ ...errorFields(fallbackError), retriever: fallbackRetriever.source }, 'fallback retrieval failed');
        }
      }
      const code: ErrorCode = error instanceof RetrievalError && error.code === 'denied' ? 'retrieval_denied' : 'retrieval_failed';
      return { documents: null, warnings, error: { code, message: reason } };
    }
  }

  /**
   * Emits the searches' warnings (each once) and merges their rankings by reciprocal rank fusion.
   * Returns null (after an error event) when no search could answer; one failed search of two is a warning.
   */
  private async mergeSearches(
    original: SearchOutcome,
    translated: SearchOutcome | undefined,
    emit: (event: ChatEvent) => void,
  ): Promise<RetrievedDocument[] | null> {
    const seen = new Set<string>();
    for (const warning of [...original.warnings, ...(translated?.warnings ?? [])]) {
      const key = `${warning.code}\u0000${warning.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      emit({ event: 'warning', data: warning });
    }
    const lists = [original, translated].filter((o): o is SearchOutcome => o !== undefined);
    const found = lists.map((o) => o.documents).filter((d): d is RetrievedDocument[] => d !== null);
    if (found.length === 0) {
      const error = original.error ??
        translated?.error ?? { code: 'retrieval_failed', message: 'The knowledge base could not be searched.' };
      emit({ event: 'error', data: error });
      return null;
    }
    if (translated && found.length === 1) {
      const failed = original.documents === null ? original : translated;
      const which = failed === original ? 'original' : 'translated';
      emit({
        event: 'warning',
        data: {
          code: 'retrieval_partial',
          message: `The search with the ${which} question failed (${failed.error?.message ?? 'unknown error'}); answering from the other search only.`,
        },
      });
    }
    if (found.length === 1) return found[0] ?? [];
    return reciprocalRankFusion(found, { limit: this.deps.retrieveTopK });
  }

  /** Offline mode: each lane's passages in its own language (see documentsPerLane). */
  private async offlineLaneDocuments(
    lanes: LanePlan[],
    question: string,
    documents: RetrievedDocument[],
    signal: AbortSignal,
  ): Promise<LaneDocuments> {
    const { retriever, retrieveTopK } = this.deps;
    return documentsPerLane({
      lanes: lanes.map((l) => l.lane),
      question,
      documents,
      glossary: this.deps.glossary?.() ?? null,
      limit: retrieveTopK,
      retrieve: (query) => retriever.retrieve(query, { limit: Math.max(retrieveTopK * 2, 10), signal }),
      catalogue: this.deps.offline?.catalogue,
    });
  }

  private async recordTranslation(
    translation: QuestionTranslation,
    target: Language,
    conversationId: string,
    messageId: string,
    userId: string | null,
  ): Promise<void> {
    try {
      await this.deps.ledger.record({
        conversationId,
        messageId,
        userId,
        purpose: 'translate-question',
        lane: target,
        provider: translation.provider,
        modelId: translation.modelId,
        usage: translation.usage,
        latencyMs: translation.latencyMs,
        status: translation.ok ? 'complete' : translation.code === 'cancelled' ? 'partial' : 'failed',
        costUsd: translation.costUsd,
        estimated: false,
      });
    } catch (error) {
      this.deps.logger.error(
        { ...errorFields(error), conversationId, messageId, modelId: translation.modelId },
        'usage ledger write failed',
      );
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
        estimated: call.estimated === true,
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
  return lanes.map((l) => ({
    lane: l.lane,
    role: l.role,
    parts: { overview: stored(l.lane, 'overview'), detail: stored(l.lane, 'detail') },
  }));
}

function sumCost(calls: { costUsd: number | null }[]): number | null {
  return calls.some((c) => c.costUsd === null) ? null : round(calls.reduce((sum, c) => sum + (c.costUsd ?? 0), 0));
}

function uniqueDocuments(lists: RetrievedDocument[][]): RetrievedDocument[] {
  const seen = new Set<string>();
  return lists.flat().filter((doc) => {
    if (seen.has(doc.id)) return false;
    seen.add(doc.id);
    return true;
  });
}

function sumUsage(parts: { usage: TokenUsage }[]): TokenUsage {
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
