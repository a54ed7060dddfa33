import type { GlossaryEntry } from '../contract/glossary.js';
import type { Language } from '../lang/languages.js';

export { GLOSSARY_CATEGORIES } from '../contract/codes.js';
export type { Glossary, GlossaryEntry, GlossaryViolation } from '../contract/glossary.js';

export interface GlossaryMatch {
  entry: GlossaryEntry;
  /** The text as it appeared in the input. */
  matched: string;
  language: Language;
}
