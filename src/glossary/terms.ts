import { LANGUAGES, type Language } from '../lang/languages.js';
import type { GlossaryEntry } from './types.js';

export type TermKind = 'name' | 'alias';

export interface GlossaryTerm {
  text: string;
  language: Language;
  kind: TermKind;
}

/**
 * Comparison key for glossary terms. Whitespace is dropped because Korean writers space compounds
 * freely ("계정 복구" / "계정복구"), so two terms that differ only in spacing are the same term.
 */
export function termKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** Every name and alias of an entry, names first, in a fixed language order. */
export function entryTerms(entry: GlossaryEntry): GlossaryTerm[] {
  const terms: GlossaryTerm[] = [];
  for (const language of LANGUAGES) {
    const name = entry.names[language];
    if (typeof name === 'string' && name.trim() !== '') terms.push({ text: name.trim(), language, kind: 'name' });
  }
  for (const language of LANGUAGES) {
    for (const alias of entry.aliases?.[language] ?? []) {
      if (typeof alias === 'string' && alias.trim() !== '') terms.push({ text: alias.trim(), language, kind: 'alias' });
    }
  }
  return terms;
}
