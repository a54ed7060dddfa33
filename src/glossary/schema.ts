import { z } from 'zod';
import { GLOSSARY_CATEGORIES, type Glossary } from './types.js';

const stringError = (issue: { input?: unknown }): string => (issue.input === undefined ? 'is required' : 'must be a string');

const term = z.string({ error: stringError }).trim().min(1, { error: 'must not be empty' });

const names = z
  .object({
    ko: term,
    en: term,
    ja: term.optional(),
    zh: term.optional(),
  })
  .strict();

const aliasList = z.array(term, { error: 'must be a list of strings' });

const aliases = z
  .object({
    ko: aliasList.optional(),
    en: aliasList.optional(),
    ja: aliasList.optional(),
    zh: aliasList.optional(),
  })
  .strict();

const category = z.enum(GLOSSARY_CATEGORIES, {
  error: (issue) => `unknown category ${JSON.stringify(issue.input)}; expected one of ${GLOSSARY_CATEGORIES.join(', ')}`,
});

export const glossaryEntrySchema = z
  .object({
    id: z
      .string({ error: 'must be a string' })
      .regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'must be lower-case letters, digits and hyphens (e.g. "star-shard")' }),
    category,
    names,
    aliases: aliases.default({}),
    description: z.string({ error: stringError }).trim().default(''),
  })
  .strict();

export const glossaryFileSchema = z
  .object({
    game: z.string({ error: stringError }).trim().min(1, { error: 'must not be empty' }),
    version: z.string({ error: stringError }).trim().min(1, { error: 'must not be empty' }),
    entries: z.array(glossaryEntrySchema, { error: 'must be a list of entries' }),
  })
  .strict();

export type GlossaryFile = z.infer<typeof glossaryFileSchema>;

// Fails to compile if the schema's output drifts from the shared Glossary type.
const schemaMatchesType: (file: GlossaryFile) => Glossary = (file) => file;
void schemaMatchesType;
