import type { Logger } from '../log/logger.js';
import { errorFields } from '../log/logger.js';
import { AnswerGlossaryCheck } from '../glossary/answer-check.js';
import type { Glossary } from '../glossary/types.js';
import { detectLanguage, hasLetters } from '../lang/detect.js';
import { LANGUAGE_NAMES, type Language, type UiLanguage } from '../lang/languages.js';
import type { RetrievedDocument, Retriever } from '../knowledge/types.js';
import { ZERO_USAGE, type ChatTurn, type TokenUsage } from '../models/types.js';
import { planAnswer } from '../relay/plan.js';
import { runRelay } from '../relay/relay.js';
import type { AnswerPlan } from '../relay/plan.js';
import type { LanePlan, PartResult, RelayDependencies } from '../relay/types.js';
import type { CatalogueDocument } from '../retrieval/lane-documents.js';
import { RetrievalService } from '../retrieval/service.js';
import type { QuestionTranslation, QuestionTranslator } from '../translate/question.js';
import type { ConversationRepository, Message, StoredLane } from '../store/conversations.js';
import type { AnswerBudget } from '../usage/answer-budget.js';
import type { Admission } from '../usage/budgets.js';
import { AnswerAccount } from './answer-account.js';
import type { UsageLedger } from '../usage/ledger.js';
import { AppError } from '../errors/app-error.js';
import type { AnswerEvent } from './answer-events.js';
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
  /**
   * Set when the answering strategy cannot translate (`capabilities.translates` false, the
   * extractive strategy): each lane answers from passages in its own language, and the client is
   * told that translation needs a model.
   */
  withoutTranslation?: { reason: string; catalogue?: CatalogueDocument[] | undefined } | undefined;
  /** Daily token/USD budgets (src/usage): full answer, overview only, or a 429 before any model call. */
  budget?: AnswerBudget | undefined;
}

const HISTORY_MESSAGES = 20;

/**
 * The answer use case: store the question, retrieve, relay every lane, store the answer.
 * Reports its progress as answer events through `emit`; throws AppError only before the first event.
 */
export class ChatService {
  private readonly retrieval: RetrievalService;

  constructor(private readonly deps: ChatServiceDependencies) {
    this.retrieval = new RetrievalService({
      retriever: deps.retriever,
      fallbackRetriever: deps.fallbackRetriever,
      limit: deps.retrieveTopK,
      logger: deps.logger,
    });
  }

  async answer(input: ChatInput, emit: (event: AnswerEvent) => void): Promise<void> {
    // Budgets are decided, and the answer's estimate reserved, before anything is stored or any
    // model is called: a refusal is a 429 (BudgetExhaustedError) before the stream. The
    // reservation is released however the answer ends; its real usage is in the ledger by then.
    // Plan once: the question's language, the lanes and whether the question is translated.
    const detected = detectLanguage(input.message, input.uiLanguage);
    const plan = planAnswer({ questionLanguage: detected, answerLanguage: input.answerLanguage, staffLanguage: this.deps.staffLanguage });
    const budget = this.deps.budget;
    let admission: Admission | null = null;
    if (budget) {
      admission = await budget.admit({
        userId: input.userId,
        lanes: plan.lanes.length,
        translation: plan.translateQuestionTo !== null && this.deps.questionTranslator !== undefined,
        question: input.message,
      });
    }
    try {
      await this.answerAdmitted(input, { detected, plan }, emit, admission);
    } finally {
      await admission?.release().catch((error: unknown) => this.deps.logger.error(errorFields(error), 'budget reservation release failed'));
    }
  }

  private async answerAdmitted(
    input: ChatInput,
    { detected, plan }: { detected: Language; plan: AnswerPlan },
    emit: (event: AnswerEvent) => void,
    admission: Admission | null,
  ): Promise<void> {
    const { conversations } = this.deps;
    // The owner filter: null (the anonymous user) matches only anonymous rows, never "no filter".
    const conversation = input.conversationId
      ? await conversations.find(input.conversationId, input.userId)
      : await conversations.create({ userId: input.userId, firstMessage: input.message, uiLanguage: input.uiLanguage });
    if (!conversation) throw new AppError('conversation_not_found', 404, 'No conversation with that id.');

    const { lanes, answerLanguage } = plan;
    const history = await this.history(conversation.id);

    // Stored before any model call: a crash from here on still leaves the question on record.
    const userMessage = await conversations.appendUserMessage(conversation.id, input.message, detected);
    const assistant = await conversations.startAssistantMessage(conversation.id, answerLanguage);

    // The search with the original question starts now; the translation (when the question is not
    // in the staff language) runs beside it. meta waits for the translation so it can carry it: the
    // relay needs the translated search anyway, so this delays no answer text.
    const originalSearch = this.retrieval.search(input.message, input.signal);
    // A question without letters (an order number, an emoji) has nothing to translate.
    const translator = plan.translateQuestionTo !== null && hasLetters(input.message) ? this.deps.questionTranslator : undefined;
    const translation: QuestionTranslation | null =
      translator && plan.translateQuestionTo !== null
        ? await translator.translate({ text: input.message, source: detected, target: plan.translateQuestionTo, signal: input.signal })
        : null;
    const translatedQuestion = translation?.ok ? translation.text : undefined;
    const translatedSearch = translatedQuestion !== undefined ? this.retrieval.search(translatedQuestion, input.signal) : undefined;
    emit({
      type: 'started',
      conversationId: conversation.id,
      messageId: assistant.id,
      userMessageId: userMessage.id,
      detectedLanguage: detected,
      translatedQuestion,
      lanes,
    });
    // budget_warning (80 % used) or budget_degraded (this answer is the overview only).
    for (const notice of admission?.warnings ?? []) emit({ type: 'notice', ...notice });

    // Accounting: every finished call of this answer, the question translation included, goes to the ledger.
    const account = new AnswerAccount(this.deps.ledger, this.deps.logger, {
      conversationId: conversation.id,
      messageId: assistant.id,
      userId: input.userId,
    });
    if (translation) {
      account.translation(translation, plan.translateQuestionTo ?? detected);
      if (!translation.ok && translation.code !== 'cancelled') {
        emit({ type: 'notice', code: 'translation_failed', message: `${translation.message} Answering from the original question only.` });
      }
    }
    const offline = this.deps.withoutTranslation;
    if (offline && (lanes.length > 1 || plan.translateQuestionTo !== null)) {
      emit({
        type: 'notice',
        code: 'translation_unavailable',
        message: `Nothing was translated: ${offline.reason}. Each answer lane quotes knowledge-base passages written in its own language where there are any; translating questions and answers needs a model (MODEL_PROVIDER=bedrock or openai).`,
      });
    }

    const retrieved = this.retrieval.merge(await originalSearch, translatedSearch ? await translatedSearch : undefined);
    for (const warning of retrieved.warnings) emit({ type: 'notice', ...warning });
    if (retrieved.error) emit({ type: 'failed', ...retrieved.error });
    const documents = retrieved.documents;
    const usageOfTranslation = translation ? [translation] : [];
    if (documents === null) {
      await conversations.finishAssistantMessage(assistant.id, {
        content: '',
        lanes: emptyLanes(lanes),
        references: [],
        status: 'failed',
        translatedQuestion: translatedQuestion ?? null,
      });
      await account.settled();
      emit({
        type: 'finished',
        messageId: assistant.id,
        status: 'failed',
        usage: sumUsage(usageOfTranslation),
        costUsd: sumCost(usageOfTranslation),
      });
      return;
    }

    const perLane = offline
      ? await this.retrieval.perLane({
          lanes: lanes.map((l) => l.lane),
          question: input.message,
          documents,
          glossary: this.deps.glossary?.() ?? null,
          catalogue: offline.catalogue,
          signal: input.signal,
        })
      : undefined;
    const used = perLane ? uniqueDocuments([documents, ...lanes.map((l) => perLane.byLane[l.lane] ?? [])]) : documents;
    const references = used.map(toReference);
    emit({ type: 'sources', references });
    if (perLane) {
      for (const { lane } of lanes) {
        if (perLane.sources[lane] !== 'other-language') continue;
        emit({
          type: 'notice',
          code: 'lane_language_unavailable',
          message: `No ${LANGUAGE_NAMES[lane]} passage matches this question, and offline mode cannot translate: this lane quotes passages in another language.`,
          lane,
        });
      }
    }

    const glossary = this.deps.glossary?.() ?? null;
    const documentTexts = (lane: Language) => (perLane?.byLane[lane] ?? documents).map((doc) => `${doc.title}\n${doc.content}`);
    const glossaryCheck =
      glossary && !offline ? new AnswerGlossaryCheck(glossary, [input.message, translatedQuestion ?? ''].join('\n'), documentTexts) : null;

    const parts = await runRelay(
      { lanes, question: input.message, history, documents, ...(perLane ? { laneDocuments: perLane.byLane } : {}), signal: input.signal },
      this.deps.relay,
      (event) => {
        if (event.type === 'delta') emit({ type: 'text', lane: event.lane, part: event.part, text: event.text });
        else if (event.type === 'warning')
          emit({ type: 'notice', code: event.code, message: event.message, lane: event.lane, part: event.part });
        else {
          const { result } = event;
          emit({ type: 'part_finished', result });
          const mismatch = glossaryCheck?.partEnded({
            lane: result.lane,
            part: result.part,
            text: result.text,
            skip: result.model === null || result.status === 'failed' || input.signal.aborted,
          });
          if (mismatch) {
            emit({
              type: 'notice',
              code: 'glossary_mismatch',
              message: mismatch.message,
              lane: result.lane,
              part: result.part,
              violations: mismatch.violations,
            });
          }
        }
      },
      { onCall: (call) => account.call(call), ...(admission?.mode === 'overview-only' ? { overviewOnly: true } : {}) },
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
    await account.settled();
    // The request's whole cost: the question translation plus every part.
    const calls = [...usageOfTranslation, ...parts];
    emit({ type: 'finished', messageId: assistant.id, status, usage: sumUsage(calls), costUsd: sumCost(calls) });
  }

  private async history(conversationId: string): Promise<ChatTurn[]> {
    const messages = await this.deps.conversations.messages(conversationId);
    return messages
      .slice(-HISTORY_MESSAGES)
      .filter(usableInHistory)
      .map((m) => ({ role: m.role, text: m.content }));
  }
}

function usableInHistory(message: Message): boolean {
  return message.role === 'user' || (message.status !== 'streaming' && message.content !== '');
}

function toReference(doc: RetrievedDocument): ReferenceView {
  return { id: doc.id, title: doc.title, uri: doc.uri, score: doc.score, excerpt: doc.excerpt };
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
