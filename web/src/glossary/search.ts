import { GLOSSARY_CATEGORIES } from '../../../src/contract/codes';
import type { GlossaryCategory, GlossaryEntry, Language } from '../api/types';
import { LANGUAGES } from '../i18n/languages';

export { GLOSSARY_CATEGORIES } from '../../../src/contract/codes';

export function isGlossaryCategory(value: string): value is GlossaryCategory {
  return (GLOSSARY_CATEGORIES as readonly string[]).includes(value);
}

/**
 * Search key, as the server's termKey: width- and case-insensitive (NFKC, lower case), and
 * spacing-insensitive, since Korean writers space compounds freely ("계정 복구" / "계정복구").
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, '');
}

/** Every name and alias of an entry, in every language. */
export function entryTerms(entry: GlossaryEntry): string[] {
  const names = LANGUAGES.map((l) => entry.names[l]);
  const aliases = LANGUAGES.flatMap((l) => entry.aliases[l] ?? []);
  return [...names, ...aliases].filter((t): t is string => typeof t === 'string' && t.trim() !== '');
}

/** How well an entry matches a search key: 0 a whole name or alias, 1 the start of one, 2 inside one (or the id), 3 the description; null no match. */
export function matchRank(entry: GlossaryEntry, key: string): number | null {
  if (key === '') return 0;
  const terms = entryTerms(entry).map(searchKey);
  if (terms.some((t) => t === key)) return 0;
  if (terms.some((t) => t.startsWith(key))) return 1;
  if (terms.some((t) => t.includes(key)) || searchKey(entry.id).includes(key)) return 2;
  if (searchKey(entry.description).includes(key)) return 3;
  return null;
}

/** The entries of a category (or all) that match the search, best matches first (stable within a rank). */
export function filterGlossary(entries: readonly GlossaryEntry[], query: string, category: GlossaryCategory | 'all'): GlossaryEntry[] {
  const key = searchKey(query);
  const ranked: { entry: GlossaryEntry; rank: number; index: number }[] = [];
  entries.forEach((entry, index) => {
    if (category !== 'all' && entry.category !== category) return;
    const rank = matchRank(entry, key);
    if (rank !== null) ranked.push({ entry, rank, index });
  });
  return ranked.sort((a, b) => a.rank - b.rank || a.index - b.index).map((r) => r.entry);
}

/** The entry's name to show first: in the UI language, else English, else any. */
export function entryHeadline(entry: GlossaryEntry, lang: Language): string {
  return entry.names[lang] ?? entry.names.en ?? entryTerms(entry)[0] ?? entry.id;
}
