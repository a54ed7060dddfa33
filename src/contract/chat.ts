import { z } from 'zod';
import {
  answerPartSchema,
  costSchema,
  errorCodeSchema,
  laneSchema,
  languageSchema,
  messageStatusSchema,
  partStatusSchema,
  referenceSchema,
  textSchema,
  tokenUsageSchema,
  uiLanguageSchema,
  uuidSchema,
  warningCodeSchema,
} from './common.js';
import { type CHAT_EVENT_NAMES } from './codes.js';
import { ANSWER_LANGUAGES } from './languages.js';

/** The schema's own ceiling; the deployment's MAX_MESSAGE_CHARS (at most this) is checked by the route. */
export const MESSAGE_MAX_CHARS = 100_000;

export const chatRequestSchema = z
  .object({
    conversationId: uuidSchema.optional(),
    message: textSchema({ max: MESSAGE_MAX_CHARS, nonEmpty: true, what: 'The message' }),
    uiLanguage: uiLanguageSchema,
    /** `auto` answers in the question's language; a staff lane is added when that is not the staff language. */
    answerLanguage: z.enum(ANSWER_LANGUAGES).default('auto'),
  })
  .strict();
export type ChatRequest = z.input<typeof chatRequestSchema>;

/** A glossary entry an answer part named differently (`found`) or left out (no `found`). */
export const glossaryTermIssueSchema = z.object({
  /** The glossary entry id. */
  term: z.string(),
  /** The entry's canonical name in the lane's language. */
  expected: z.string(),
  found: z.string().optional(),
});
export type GlossaryTermIssue = z.infer<typeof glossaryTermIssueSchema>;

export const metaEventSchema = z.object({
  conversationId: uuidSchema,
  messageId: uuidSchema,
  userMessageId: uuidSchema,
  detectedLanguage: languageSchema,
  translatedQuestion: z.string().optional(),
  lanes: z.array(laneSchema),
});
export const referencesEventSchema = z.object({ documents: z.array(referenceSchema) });
export const deltaEventSchema = z.object({ lane: languageSchema, part: answerPartSchema, text: z.string() });
export const partEndEventSchema = z.object({
  lane: languageSchema,
  part: answerPartSchema,
  /** null for a part written without a model call (the fixed no-documents reply, a skipped detail). */
  model: z.string().nullable(),
  usage: tokenUsageSchema,
  latencyMs: z.number().nonnegative(),
  costUsd: costSchema,
  status: partStatusSchema,
});
export const warningEventSchema = z.object({
  code: warningCodeSchema,
  message: z.string(),
  lane: languageSchema.optional(),
  part: answerPartSchema.optional(),
  /** `glossary_mismatch` only. */
  terms: z.array(glossaryTermIssueSchema).optional(),
});
export const errorEventSchema = z.object({ code: errorCodeSchema, message: z.string() });
export const doneEventSchema = z.object({
  messageId: uuidSchema,
  status: messageStatusSchema,
  usage: tokenUsageSchema,
  costUsd: costSchema,
});

/** The server-sent events of POST /api/chat, in the order meta → references → (delta | part_end | warning)* → done. */
export const chatEventSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('meta'), data: metaEventSchema }),
  z.object({ event: z.literal('references'), data: referencesEventSchema }),
  z.object({ event: z.literal('delta'), data: deltaEventSchema }),
  z.object({ event: z.literal('part_end'), data: partEndEventSchema }),
  z.object({ event: z.literal('warning'), data: warningEventSchema }),
  z.object({ event: z.literal('error'), data: errorEventSchema }),
  z.object({ event: z.literal('done'), data: doneEventSchema }),
]);
export type ChatEvent = z.infer<typeof chatEventSchema>;
export type ChatEventName = (typeof CHAT_EVENT_NAMES)[number];
// The plain list lives in codes.ts (no zod, for the web bundle): it must name exactly the union's events.
type SameNames = [ChatEvent['event']] extends [ChatEventName] ? ([ChatEventName] extends [ChatEvent['event']] ? true : false) : false;
const _sameNames: SameNames = true;
