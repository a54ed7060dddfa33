import { LANGUAGE_NAMES, type Language } from '../lang/languages.js';
import { containsInflected, containsTerm, findGlossaryTerms, scanGlossaryTerms } from './match.js';
import { termKey } from './terms.js';
import type { Glossary, GlossaryEntry, GlossaryViolation } from './types.js';

export interface AnswerGlossaryInput {
  glossary: Glossary;
  /** The question (and its translation, when there is one). */
  question: string;
  /** The passages the answer was written from (none for a translation). */
  documents: string[];
  answerText: string;
  /** The language the answer is written in. */
  language: Language;
  /** Also report entries the question names that the answer never names (a whole-lane check). */
  reportMissing: boolean;
}

/**
 * The one glossary check, for answers and translations alike. The entries that matter are those the question or the
 * passages mention. For each:
 * - the answer uses the canonical name in its language → fine;
 * - the answer refers to the entry only by another name (another language's name, an alias) →
 *   `{term, expected, found}` ("wrong alias");
 * - the answer does not refer to it at all → reported as missing (`{term, expected}`) only for
 *   entries the question names and only when `reportMissing` (passages mention many entries an
 *   answer rightly leaves out).
 * Entries without a name in the answer's language are skipped.
 */
export function checkAnswerGlossary(input: AnswerGlossaryInput): GlossaryViolation[] {
  const { glossary, answerText, language } = input;
  if (answerText.trim() === '') return [];
  const fromQuestion = findGlossaryTerms(glossary, input.question).map((o) => o.entry);
  const questionIds = new Set(fromQuestion.map((entry) => entry.id));
  const candidates = new Map<string, GlossaryEntry>(fromQuestion.map((entry) => [entry.id, entry]));
  for (const text of input.documents) {
    for (const { entry } of findGlossaryTerms(glossary, text)) if (!candidates.has(entry.id)) candidates.set(entry.id, entry);
  }
  if (candidates.size === 0) return [];

  const inAnswer = scanGlossaryTerms(glossary, answerText);
  const violations: GlossaryViolation[] = [];
  for (const entry of candidates.values()) {
    const expected = entry.names[language];
    if (expected === undefined || termKey(expected) === '') continue;
    const expectedKey = termKey(expected);
    const occurrences = inAnswer.filter((o) => o.entry.id === entry.id);
    if (occurrences.some((o) => termKey(o.term) === expectedKey)) continue;
    // The canonical name can be hidden inside a longer term of another entry ("레이드" in "잿빛 왕좌 레이드"),
    // or inflected ("refunded" for the term "refund") when no other name of the entry was used.
    if (containsTerm(answerText, expected)) continue;
    if (occurrences.length === 0 && containsInflected(answerText, expected)) continue;
    const other = occurrences[0];
    if (other !== undefined) violations.push({ term: entry.id, expected, found: other.matched, foundLanguage: other.language });
    else if (input.reportMissing && questionIds.has(entry.id)) violations.push({ term: entry.id, expected });
  }
  return violations;
}

/**
 * A translation's glossary check: every entry the source text names must appear under its
 * canonical name in the target language (no passages; missing names count).
 */
export function checkGlossaryConsistency(input: {
  glossary: Glossary;
  sourceText: string;
  answerText: string;
  language: Language;
}): GlossaryViolation[] {
  return checkAnswerGlossary({
    glossary: input.glossary,
    question: input.sourceText,
    documents: [],
    answerText: input.answerText,
    language: input.language,
    reportMissing: true,
  });
}

const PART_NAMES = { overview: 'overview', detail: 'detailed answer' } as const;

/** One sentence naming every problem, e.g. `The Korean overview does not follow the glossary: "Stardust" should be "스타더스트".` */
export function describeGlossaryMismatch(language: Language, part: 'overview' | 'detail', violations: GlossaryViolation[]): string {
  const problems = violations.map((v) =>
    v.found === undefined ? `"${v.expected}" is not named` : `"${v.found}" should be "${v.expected}"`,
  );
  return `The ${LANGUAGE_NAMES[language]} ${PART_NAMES[part]} does not follow the glossary: ${problems.join('; ')}.`;
}

export interface FinishedPart {
  lane: Language;
  part: 'overview' | 'detail';
  text: string;
  /** No text to check: failed, cancelled, or a fixed reply written without a model. */
  skip: boolean;
}

/**
 * Per-request glossary check, fed each part as it ends. The overview is checked for wrong names;
 * the detail for wrong names and, over the whole lane (overview + detail), for question terms the
 * answer never names — an overview alone is too short to be held to every term.
 */
export class AnswerGlossaryCheck {
  private readonly overviews = new Map<Language, string>();

  constructor(
    private readonly glossary: Glossary,
    private readonly question: string,
    private readonly documentsFor: (lane: Language) => string[],
  ) {}

  partEnded(part: FinishedPart): { violations: GlossaryViolation[]; message: string } | null {
    if (part.part === 'overview') this.overviews.set(part.lane, part.skip ? '' : part.text);
    if (part.skip) return null;
    const base = { glossary: this.glossary, question: this.question, documents: this.documentsFor(part.lane), language: part.lane };
    const wrong = checkAnswerGlossary({ ...base, answerText: part.text, reportMissing: false });
    const missing =
      part.part === 'detail'
        ? checkAnswerGlossary({
            ...base,
            answerText: `${this.overviews.get(part.lane) ?? ''}\n\n${part.text}`,
            reportMissing: true,
          }).filter((v) => v.found === undefined)
        : [];
    const violations = [...wrong, ...missing];
    if (violations.length === 0) return null;
    return { violations, message: describeGlossaryMismatch(part.lane, part.part, violations) };
  }
}
