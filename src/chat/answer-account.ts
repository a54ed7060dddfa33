import type { Language } from '../lang/languages.js';
import { errorFields, type Logger } from '../log/logger.js';
import type { CallRecord } from '../relay/relay.js';
import type { QuestionTranslation } from '../translate/question.js';
import type { LedgerEntry } from '../usage/ledger-entry.js';
import type { UsageLedger } from '../usage/ledger.js';

/**
 * The accounting stage of one answer: a subscriber of its finished model calls (the question
 * translation and every part) that writes each to the usage ledger. A failed write is logged and
 * never fails the answer; `settled()` resolves when every write has finished.
 */
export class AnswerAccount {
  private readonly writes: Promise<void>[] = [];

  constructor(
    private readonly ledger: UsageLedger,
    private readonly logger: Logger,
    private readonly owner: { conversationId: string; messageId: string; userId: string | null },
  ) {}

  translation(translation: QuestionTranslation, target: Language): void {
    this.record({
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
  }

  call(call: CallRecord): void {
    this.record({
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
  }

  async settled(): Promise<void> {
    await Promise.all(this.writes);
  }

  private record(entry: Omit<LedgerEntry, 'conversationId' | 'messageId' | 'userId'>): void {
    const full: LedgerEntry = { ...this.owner, ...entry };
    this.writes.push(
      this.ledger.record(full).catch((error: unknown) => {
        this.logger.error({ ...errorFields(error), ...this.owner, modelId: entry.modelId }, 'usage ledger write failed');
      }),
    );
  }
}
