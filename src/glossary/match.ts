import type { Language } from '../lang/languages.js';
import { entryTerms, termKey, type TermKind } from './terms.js';
import type { Glossary, GlossaryEntry, GlossaryMatch } from './types.js';

/** A glossary term found in a text. */
export interface GlossaryOccurrence extends GlossaryMatch {
  /** The glossary name or alias that matched (`matched` is how the text spelled it). */
  term: string;
  kind: TermKind;
  /** Offset of `matched` in the NFC-normalised text. */
  index: number;
}

interface CompiledTerm {
  entry: GlossaryEntry;
  text: string;
  language: Language;
  kind: TermKind;
}

interface Matcher {
  regex: RegExp | undefined;
  terms: CompiledTerm[];
}

// Hangul, kana and han: these scripts do not separate words with spaces, so terms match as substrings.
const CJK = /[\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const LATIN_WORD = '[\\p{Script=Latin}\\p{N}]';

/**
 * A regex source matching one glossary term. Latin terms need word boundaries (so "Ari" is not found
 * inside "Aria") but tolerate a plural or possessive ending and hyphen/space variants; a Latin
 * boundary ignores Hangul so "Aria의" still counts. CJK terms match anywhere, with optional spaces
 * between their parts.
 */
export function termPattern(term: string): string {
  const text = term.normalize('NFC').trim();
  if (CJK.test(text)) {
    return text
      .split(/\s+/u)
      .filter((part) => part !== '')
      .map(escapeRegex)
      .join('\\s*');
  }
  const parts = text.split(/[\s-]+/u).filter((part) => part !== '');
  const body = parts.map(escapeRegex).join('[\\s-]+');
  const plural = /\p{L}$/u.test(text) ? "(?:['\u2019]s|e?s)?" : '';
  const start = /^[\p{L}\p{N}]/u.test(text) ? `(?<!${LATIN_WORD})` : '';
  const end = /[\p{L}\p{N}]$/u.test(text) ? `(?!${LATIN_WORD})` : '';
  return `${start}${body}${plural}${end}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
}

const matchers = new WeakMap<readonly GlossaryEntry[], Matcher>();

function matcherFor(glossary: Glossary): Matcher {
  const cached = matchers.get(glossary.entries);
  if (cached !== undefined) return cached;

  const seen = new Set<string>();
  const terms: CompiledTerm[] = [];
  for (const entry of glossary.entries) {
    for (const term of entryTerms(entry)) {
      const key = termKey(term.text);
      if (key === '' || seen.has(key)) continue;
      seen.add(key);
      terms.push({ entry, text: term.text.normalize('NFC'), language: term.language, kind: term.kind });
    }
  }
  // Alternation tries its branches in order, so longest-first makes the leftmost match also the longest.
  terms.sort((a, b) => b.text.length - a.text.length);
  const regex = terms.length === 0 ? undefined : new RegExp(terms.map((t) => `(${termPattern(t.text)})`).join('|'), 'giu');
  const matcher = { regex, terms };
  matchers.set(glossary.entries, matcher);
  return matcher;
}

/** Every glossary term in `text`, left to right, non-overlapping, the longest term winning at each position. */
export function scanGlossaryTerms(glossary: Glossary, text: string): GlossaryOccurrence[] {
  const { regex, terms } = matcherFor(glossary);
  if (regex === undefined || text === '') return [];
  const source = text.normalize('NFC');
  const found: GlossaryOccurrence[] = [];
  regex.lastIndex = 0;
  for (let match = regex.exec(source); match !== null; match = regex.exec(source)) {
    if (match[0] === '') {
      regex.lastIndex += 1;
      continue;
    }
    const group = match.findIndex((value, i) => i > 0 && value !== undefined);
    const term = terms[group - 1];
    if (term === undefined) continue;
    found.push({
      entry: term.entry,
      matched: match[0],
      language: term.language,
      term: term.text,
      kind: term.kind,
      index: match.index,
    });
  }
  return found;
}

/** Glossary entries mentioned in `text` by any name or alias, each entry once, in order of first mention. */
export function findGlossaryTerms(glossary: Glossary, text: string): GlossaryOccurrence[] {
  const seen = new Set<string>();
  return scanGlossaryTerms(glossary, text).filter((occurrence) => {
    if (seen.has(occurrence.entry.id)) return false;
    seen.add(occurrence.entry.id);
    return true;
  });
}

/** Whether `text` contains `term` under the same matching rules as the scanner. */
export function containsTerm(text: string, term: string): boolean {
  if (termKey(term) === '') return false;
  return new RegExp(termPattern(term), 'iu').test(text.normalize('NFC'));
}

/**
 * Whether `text` contains an inflected form of a Latin term: every word of the term as the start of
 * a word, in order ("refund" in "refunded", "account recovery" in "account recovering"). Looser than
 * containsTerm, for deciding that a name is present, never for finding one. CJK terms: false.
 */
export function containsInflected(text: string, term: string): boolean {
  return findInflected(text, term) !== null;
}

/** The first inflected form of a Latin term in `text` (see containsInflected), as written; null when none. */
export function findInflected(text: string, term: string): string | null {
  const normalized = term.normalize('NFC').trim();
  if (normalized === '' || CJK.test(normalized)) return null;
  const words = normalized.split(/[\s-]+/u).filter((word) => word !== '');
  const body = words.map((word) => `${escapeRegex(word)}\\p{L}*`).join('[\\s-]+');
  return new RegExp(`(?<!${LATIN_WORD})${body}`, 'iu').exec(text.normalize('NFC'))?.[0] ?? null;
}
