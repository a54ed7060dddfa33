import { z } from 'zod';
import { costSchema, languageSchema, textSchema, tokenUsageSchema } from './common.js';
import { glossaryCategorySchema, glossaryViolationSchema } from './glossary.js';
import { ANSWER_LANGUAGES } from './languages.js';

/** The translator's input limit (POST /api/translate, `dualnova translate`). */
export const TRANSLATE_MAX_CHARS = 4000;

export const translateTargetSchema = z.enum(ANSWER_LANGUAGES);
export type TranslateTarget = z.infer<typeof translateTargetSchema>;

export const translateRequestSchema = z
  .object({
    text: textSchema({ max: TRANSLATE_MAX_CHARS, nonEmpty: true, tooLongHint: 'split it into shorter parts' }),
    /** `auto`: customer text → staff language, staff text → the main customer language. */
    target: translateTargetSchema.default('auto'),
    /** Overrides detection when the text is too mixed to tell. */
    source: translateTargetSchema.default('auto'),
  })
  .strict();
export type TranslateRequest = z.input<typeof translateRequestSchema>;

/** A glossary entry found in the source text and how the translation wrote it. */
export const glossaryTermReportSchema = z.object({
  term: z.string(),
  category: glossaryCategorySchema,
  /** As written in the source text. */
  source: z.string(),
  sourceLanguage: languageSchema,
  /** The canonical name in the target language; null when the glossary has none. */
  expected: z.string().nullable(),
  /** How the translation wrote it; null when not found. */
  rendered: z.string().nullable(),
});
export type GlossaryTermReport = z.infer<typeof glossaryTermReportSchema>;

export const translationResultSchema = z.object({
  originalText: z.string(),
  detectedLanguage: languageSchema,
  sourceLanguage: languageSchema,
  targetLanguage: languageSchema,
  translatedText: z.string(),
  glossaryTerms: z.array(glossaryTermReportSchema),
  glossaryViolations: z.array(glossaryViolationSchema),
  model: z.string(),
  usage: tokenUsageSchema,
  latencyMs: z.number(),
  costUsd: costSchema,
});
export type TranslationResult = z.infer<typeof translationResultSchema>;
