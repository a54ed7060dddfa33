import { z } from 'zod';
import { ERROR_CODES, PART_ERROR_CODES, WARNING_CODES } from './codes.js';
import { LANGUAGES, UI_LANGUAGES } from './languages.js';

export const errorCodeSchema = z.enum(ERROR_CODES);
export const warningCodeSchema = z.enum(WARNING_CODES);
export const partErrorCodeSchema = z.enum(PART_ERROR_CODES);

export const languageSchema = z.enum(LANGUAGES);
export const uiLanguageSchema = z.enum(UI_LANGUAGES);

export const tokenUsageSchema = z.object({
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  cacheReadInputTokens: z.number().int().nonnegative(),
  cacheWriteInputTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof tokenUsageSchema>;

/** USD; null when a model's price is unknown (never 0 for "unknown"). */
export const costSchema = z.number().nullable();

export const errorBodySchema = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
});

export const laneRoleSchema = z.enum(['staff', 'customer']);
export type LaneRole = z.infer<typeof laneRoleSchema>;

export const answerPartSchema = z.enum(['overview', 'detail']);
export type AnswerPart = z.infer<typeof answerPartSchema>;

/** A part that produced no text because it was never asked for (budget: overview only; no documents). */
export const partStatusSchema = z.enum(['complete', 'partial', 'failed', 'skipped']);
export type PartStatus = z.infer<typeof partStatusSchema>;

export const messageStatusSchema = z.enum(['complete', 'partial', 'failed']);
export type MessageStatus = z.infer<typeof messageStatusSchema>;

export const laneSchema = z.object({ lane: languageSchema, role: laneRoleSchema });
export type LaneInfo = z.infer<typeof laneSchema>;

export const referenceSchema = z.object({
  id: z.string(),
  title: z.string(),
  uri: z.string(),
  score: z.number(),
  excerpt: z.string(),
});
export type Reference = z.infer<typeof referenceSchema>;

export const partErrorSchema = z.object({ code: partErrorCodeSchema, message: z.string() });

export const uuidSchema = z.uuid();
export const idParamsSchema = z.object({ id: uuidSchema });

// Text a person typed: no control characters other than tab and line breaks, no unpaired surrogates.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

/** The API error a text problem maps to; read by the server's error handler from the issue's params. */
export interface TextIssueParams {
  apiCode: 'invalid_text' | 'message_empty' | 'message_too_long';
}

/**
 * A text field: refused with `invalid_text` when it carries control characters or invalid Unicode,
 * with `message_empty` when `nonEmpty` and it is blank, with `message_too_long` (413) past `max`
 * characters (code points, as people count them).
 */
export function textSchema(options: { max: number; nonEmpty?: boolean; what?: string; tooLongHint?: string }) {
  const what = options.what ?? 'The text';
  return z.string().superRefine((value, ctx) => {
    const issue = (message: string, apiCode: TextIssueParams['apiCode']) =>
      ctx.addIssue({ code: 'custom', message, params: { apiCode } satisfies TextIssueParams });
    if (options.nonEmpty && value.trim() === '') issue(`${what} is empty.`, 'message_empty');
    else if (LONE_SURROGATE.test(value)) issue(`${what} contains invalid Unicode (an unpaired surrogate).`, 'invalid_text');
    else if (CONTROL.test(value)) issue(`${what} contains control characters.`, 'invalid_text');
    else if (value.length > options.max && [...value].length > options.max)
      issue(
        `${what} is longer than ${options.max} characters${options.tooLongHint ? `; ${options.tooLongHint}` : ''}.`,
        'message_too_long',
      );
  });
}
