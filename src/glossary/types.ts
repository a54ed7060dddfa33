import type { Language } from '../lang/languages.js';

export const GLOSSARY_CATEGORIES = ['character', 'item', 'location', 'game-term', 'cs-term'] as const;
export type GlossaryCategory = (typeof GLOSSARY_CATEGORIES)[number];

export interface GlossaryEntry {
  id: string;
  category: GlossaryCategory;
  /** The canonical name per language; `ko` and `en` are required. */
  names: Partial<Record<Language, string>> & { ko: string; en: string };
  /** Other spellings people use, per language. */
  aliases: Partial<Record<Language, string[]>>;
  description: string;
}

export interface Glossary {
  game: string;
  version: string;
  entries: GlossaryEntry[];
}

export interface GlossaryMatch {
  entry: GlossaryEntry;
  /** The text as it appeared in the input. */
  matched: string;
  language: Language;
}

/** A glossary entry named in the source text whose canonical name is missing from an answer or translation. */
export interface GlossaryViolation {
  /** The entry id. */
  term: string;
  /** The entry's canonical name in the answer's language. */
  expected: string;
  /** The other name or alias of the same entry that the answer used instead, as written. */
  found?: string;
  /** The language that `found` belongs to in the glossary. */
  foundLanguage?: Language;
}
