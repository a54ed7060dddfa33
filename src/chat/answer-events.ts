import type { ErrorCode, WarningCode } from '../contract/codes.js';
import type { Reference } from '../contract/common.js';
import type { GlossaryViolation } from '../glossary/types.js';
import type { Language } from '../lang/languages.js';
import type { AnswerPart, TokenUsage } from '../models/types.js';
import type { LanePlan, PartResult } from '../relay/types.js';

/**
 * What the answer use case reports as it goes, in its own terms; the HTTP edge maps each to the
 * contract's chat event (src/server/http/chat-events.ts), the CLI prints them.
 */
export type AnswerEvent =
  | {
      type: 'started';
      conversationId: string;
      messageId: string;
      userMessageId: string;
      detectedLanguage: Language;
      translatedQuestion?: string | undefined;
      lanes: LanePlan[];
    }
  | { type: 'sources'; references: Reference[] }
  | { type: 'text'; lane: Language; part: AnswerPart; text: string }
  | { type: 'part_finished'; result: PartResult }
  | {
      type: 'notice';
      code: WarningCode;
      message: string;
      lane?: Language | undefined;
      part?: AnswerPart | undefined;
      violations?: GlossaryViolation[];
    }
  | { type: 'failed'; code: ErrorCode; message: string }
  | { type: 'finished'; messageId: string; status: 'complete' | 'partial' | 'failed'; usage: TokenUsage; costUsd: number | null };
