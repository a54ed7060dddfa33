import type { Language } from '../lang/languages.js';
import { containsInflected, containsTerm, findGlossaryTerms, scanGlossaryTerms } from './match.js';
import { termKey } from './terms.js';
import type { Glossary, GlossaryViolation } from './types.js';

export interface ConsistencyInput {
  glossary: Glossary;
  /** The question or text being answered or translated. */
  sourceText: string;
  answerText: string;
  /** The language the answer is written in. */
  language: Language;
}

/**
 * For each entry the source mentions, the answer must use the entry's canonical name in the answer's
 * language. Entries without a name in that language are skipped: there is nothing to hold them to.
 */
export function checkGlossaryConsistency({ glossary, sourceText, answerText, language }: ConsistencyInput): GlossaryViolation[] {
  const mentioned = findGlossaryTerms(glossary, sourceText);
  if (mentioned.length === 0) return [];
  const inAnswer = scanGlossaryTerms(glossary, answerText);
  const violations: GlossaryViolation[] = [];

  for (const { entry } of mentioned) {
    const expected = entry.names[language];
    if (expected === undefined || termKey(expected) === '') continue;
    const expectedKey = termKey(expected);
    const occurrences = inAnswer.filter((o) => o.entry.id === entry.id);
    if (occurrences.some((o) => termKey(o.term) === expectedKey)) continue;
    // The canonical name can be hidden inside a longer term of another entry ("레이드" in "잿빛 왕좌 레이드").
    if (containsTerm(answerText, expected)) continue;
    // An inflected form ("refunded" for "refund") is the term too, unless the entry's other names were used instead.
    if (occurrences.length === 0 && containsInflected(answerText, expected)) continue;

    const other = occurrences[0];
    violations.push(
      other === undefined
        ? { term: entry.id, expected }
        : { term: entry.id, expected, found: other.matched, foundLanguage: other.language },
    );
  }
  return violations;
}
