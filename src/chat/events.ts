import type { AnswerPart, TokenUsage } from '../models/types.js';
import type { LaneRole, PartStatus } from '../relay/types.js';

export interface ReferenceView {
  id: string;
  title: string;
  uri: string;
  score: number;
  excerpt: string;
}

/**
 * A glossary entry an answer part got wrong (`found` = the other name it used instead) or left out
 * (no `found`), in a `glossary_mismatch` warning.
 */
export interface GlossaryTermIssue {
  /** The glossary entry id. */
  term: string;
  /** The entry's canonical name in the lane's language. */
  expected: string;
  found?: string;
}

/** The server-sent events of POST /api/chat, exactly as the public API documents them. */
export type ChatEvent =
  | {
      event: 'meta';
      data: {
        conversationId: string;
        messageId: string;
        userMessageId: string;
        detectedLanguage: string;
        translatedQuestion?: string;
        lanes: { lane: string; role: LaneRole }[];
      };
    }
  | { event: 'references'; data: { documents: ReferenceView[] } }
  | { event: 'delta'; data: { lane: string; part: AnswerPart; text: string } }
  | {
      event: 'part_end';
      data: {
        lane: string;
        part: AnswerPart;
        model: string | null;
        usage: TokenUsage;
        latencyMs: number;
        costUsd: number | null;
        status: PartStatus;
      };
    }
  | { event: 'warning'; data: { code: string; message: string; lane?: string; part?: AnswerPart; terms?: GlossaryTermIssue[] } }
  | { event: 'error'; data: { code: string; message: string } }
  | { event: 'done'; data: { messageId: string; status: 'complete' | 'partial' | 'failed'; usage: TokenUsage; costUsd: number | null } };
