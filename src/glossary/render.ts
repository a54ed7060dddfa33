import { LANGUAGES, type Language } from '../lang/languages.js';
import { GLOSSARY_CATEGORIES, type Glossary, type GlossaryEntry } from './types.js';

export interface RenderGlossaryOptions {
  /** Start with a line naming the game and glossary version (default true). */
  header?: boolean;
  /** Descriptions longer than this are cut at a word boundary (default 160). */
  maxDescriptionChars?: number;
}

/**
 * The glossary as compact prompt lines, e.g. `- 아리아 (en: Aria; also: 아리, Ari) — character: …`.
 * The first language leads each line. Output depends only on the arguments (entries sorted by
 * category, then id) so the prompt prefix stays byte-identical and cacheable.
 */
export function renderGlossaryForPrompt(glossary: Glossary, languages: Language[], options: RenderGlossaryOptions = {}): string {
  const wanted = uniqueLanguages(languages);
  const maxDescription = options.maxDescriptionChars ?? 160;
  const lines: string[] = [];
  if (options.header ?? true) {
    lines.push(`Game glossary for ${glossary.game} (version ${glossary.version}). Use these names exactly:`);
  }
  for (const entry of sortEntries(glossary.entries)) {
    lines.push(renderEntry(entry, wanted, maxDescription));
  }
  return lines.join('\n');
}

function uniqueLanguages(languages: Language[]): Language[] {
  const unique = [...new Set(languages)].filter((language) => (LANGUAGES as readonly string[]).includes(language));
  return unique.length > 0 ? unique : ['ko', 'en'];
}

function sortEntries(entries: readonly GlossaryEntry[]): GlossaryEntry[] {
  const rank = (entry: GlossaryEntry): number => {
    const index = GLOSSARY_CATEGORIES.indexOf(entry.category);
    return index === -1 ? GLOSSARY_CATEGORIES.length : index;
  };
  // Plain code-unit comparison: localeCompare depends on the ICU build and could reorder lines between hosts.
  return [...entries].sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function renderEntry(entry: GlossaryEntry, languages: Language[], maxDescription: number): string {
  const [lead, ...rest] = languages;
  const leadLanguage = lead ?? 'ko';
  const leadName = entry.names[leadLanguage] ?? entry.names.en;
  const others = rest
    .map((language) => {
      const name = entry.names[language];
      return name === undefined ? undefined : `${language}: ${name}`;
    })
    .filter((part): part is string => part !== undefined);
  const aliases = [...new Set(languages.flatMap((language) => entry.aliases[language] ?? []))];
  const details = [others.join(', '), aliases.length > 0 ? `also: ${aliases.join(', ')}` : ''].filter((part) => part !== '').join('; ');
  const description = shorten(entry.description.replace(/\s+/gu, ' ').trim(), maxDescription);
  return `- ${leadName}${details === '' ? '' : ` (${details})`} — ${entry.category}${description === '' ? '' : `: ${description}`}`;
}

function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/u, '')}…`;
}
