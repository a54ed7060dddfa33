import { z } from 'zod';
import { GLOSSARY_CATEGORIES } from './codes.js';
import { languageSchema } from './common.js';

export const glossaryCategorySchema = z.enum(GLOSSARY_CATEGORIES);

const namesSchema = z.object({ ko: z.string(), en: z.string(), ja: z.string().optional(), zh: z.string().optional() });

export const glossaryEntrySchema = z.object({
  id: z.string(),
  category: glossaryCategorySchema,
  /** The canonical name per language; `ko` and `en` are required. */
  names: namesSchema,
  /** Other spellings people use, per language. */
  aliases: z.object({ ko: z.array(z.string()), en: z.array(z.string()), ja: z.array(z.string()), zh: z.array(z.string()) }).partial(),
  description: z.string(),
});
export type GlossaryEntry = z.infer<typeof glossaryEntrySchema>;

export const glossarySchema = z.object({ game: z.string(), version: z.string(), entries: z.array(glossaryEntrySchema) });
export type Glossary = z.infer<typeof glossarySchema>;

export const glossaryQuerySchema = z.object({
  q: z.string().max(200).optional(),
  category: glossaryCategorySchema.optional(),
});

export const glossaryStatusSchema = z.object({
  /** False while the file on disk is broken or missing; the last good glossary stays in use. */
  ok: z.boolean(),
  file: z.string().optional(),
  game: z.string().optional(),
  version: z.string().optional(),
  entries: z.number().int().optional(),
  loadedAt: z.string().optional(),
  checkedAt: z.string().optional(),
  error: z.object({ message: z.string(), problems: z.array(z.string()), since: z.string() }).optional(),
});
export type GlossaryStatus = z.infer<typeof glossaryStatusSchema>;

/** A glossary entry named in the source text whose canonical name is missing from an answer or translation. */
export const glossaryViolationSchema = z.object({
  term: z.string(),
  expected: z.string(),
  /** The other name or alias of the same entry that was used instead, as written. */
  found: z.string().optional(),
  foundLanguage: languageSchema.optional(),
});
export type GlossaryViolation = z.infer<typeof glossaryViolationSchema>;
