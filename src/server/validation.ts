import { z } from 'zod';
import { LANGUAGES, UI_LANGUAGES } from '../lang/languages.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;
// Control characters other than tab, line feed and carriage return have no place in a question.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

export function messageProblem(message: string, maxChars: number): { code: string; status: number; text: string } | null {
  if (message.trim() === '') return { code: 'message_empty', status: 400, text: 'The message is empty.' };
  if (LONE_SURROGATE.test(message))
    return { code: 'invalid_text', status: 400, text: 'The message contains invalid Unicode (an unpaired surrogate).' };
  if (CONTROL.test(message)) return { code: 'invalid_text', status: 400, text: 'The message contains control characters.' };
  if ([...message].length > maxChars)
    return { code: 'message_too_long', status: 413, text: `The message is longer than ${maxChars} characters.` };
  return null;
}

export const chatBodySchema = z
  .object({
    conversationId: z.string().uuid().optional(),
    message: z.string(),
    uiLanguage: z.enum(UI_LANGUAGES),
    answerLanguage: z.enum(['auto', ...LANGUAGES]).default('auto'),
  })
  .strict();

export const feedbackBodySchema = z
  .object({
    rating: z.enum(['up', 'down']),
    comment: z.string().max(2000).optional(),
  })
  .strict();

export const idParamsSchema = z.object({ id: z.string().uuid() });

export const feedbackQuerySchema = z.object({ rating: z.enum(['up', 'down']).optional() });

export const examplesQuerySchema = z.object({ lang: z.enum(UI_LANGUAGES).default('ko') });
