import type { TranslationGlossaryTerm, TranslationViolation } from '../api/types';

/** The translator's input limit (the server's TRANSLATE_MAX_CHARS); counted in code points, as the server does. */
export const TRANSLATE_MAX_CHARS = 4000;

export function countChars(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * How the translation treated a glossary term: `ok` (the glossary name, or an inflected form of
 * it), `other` (another name of the entry instead), `missing` (not in the translation), `no-name`
 * (the glossary has no name in the target language).
 */
export type TermStatus = 'ok' | 'other' | 'missing' | 'no-name';

export function termStatus(term: TranslationGlossaryTerm, violations: readonly TranslationViolation[]): TermStatus {
  if (term.expected === null) return 'no-name';
  const violation = violations.find((v) => v.term === term.term);
  if (violation) return violation.found !== undefined || (term.rendered !== null && term.rendered !== term.expected) ? 'other' : 'missing';
  return term.rendered === null ? 'missing' : 'ok';
}

/** What the translation wrote instead of the glossary name, when it wrote something else. */
export function renderedInstead(term: TranslationGlossaryTerm, violations: readonly TranslationViolation[]): string | null {
  return violations.find((v) => v.term === term.term)?.found ?? (term.rendered !== term.expected ? term.rendered : null);
}

export interface Segment {
  text: string;
  /** This piece is a glossary violation to highlight. */
  mark: boolean;
}

/** Splits `text` so every occurrence of a needle (case-insensitive, longest first, no overlaps) is its own marked segment. */
export function highlightSegments(text: string, needles: readonly string[]): Segment[] {
  const wanted = [...new Set(needles.map((n) => n.trim()).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0 || text === '') return text === '' ? [] : [{ text, mark: false }];
  const lower = text.toLowerCase();
  const lowered = wanted.map((n) => n.toLowerCase());
  const segments: Segment[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < text.length) {
    const hit = lowered.find((n) => lower.startsWith(n, i));
    if (hit === undefined) {
      i++;
      continue;
    }
    if (i > plainStart) segments.push({ text: text.slice(plainStart, i), mark: false });
    segments.push({ text: text.slice(i, i + hit.length), mark: true });
    i += hit.length;
    plainStart = i;
  }
  if (plainStart < text.length) segments.push({ text: text.slice(plainStart), mark: false });
  return segments;
}

/** Which message a failed translation gets (the texts live in the i18n dictionaries). */
export type TranslatorFailure =
  | { kind: 'offline'; reason: string | null }
  | { kind: 'too-long' }
  | { kind: 'busy'; retryAfter: number | null }
  | { kind: 'failed'; reason: string | null }
  | { kind: 'other'; code: string };

export function translatorFailure(
  code: string,
  status: number | null,
  message: string | null,
  retryAfter: number | null,
): TranslatorFailure {
  const reason = message && message !== code ? message : null;
  if (code === 'translation_unavailable') return { kind: 'offline', reason };
  if (code === 'message_too_long' || code === 'payload_too_large') return { kind: 'too-long' };
  if (code === 'translation_failed') return status === 503 ? { kind: 'busy', retryAfter } : { kind: 'failed', reason };
  return { kind: 'other', code };
}
