import { readFileSync } from 'node:fs';
import { LANGUAGES, type Language } from '../lang/languages.js';
import { parseGlossaryJson } from './load.js';
import type { Glossary } from './types.js';

export interface GlossaryCheckReport {
  file: string;
  ok: boolean;
  /** Errors: the file cannot be used (one line each, naming the entry and field). */
  problems: string[];
  /** Usable, but worth fixing (redundant aliases, languages without a name). */
  warnings: string[];
  glossary?: Glossary;
}

/**
 * Everything `dualnova glossary check FILE` reports: the loader's validation (JSON syntax, schema,
 * empty names, unknown categories, duplicate ids, one term claimed by two entries) plus warnings
 * the loader tolerates.
 */
export function checkGlossaryFile(file: string): GlossaryCheckReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return { file, ok: false, problems: [`cannot read the file (${code})`], warnings: [] };
  }
  const parsed = parseGlossaryJson(text);
  if (!parsed.ok) return { file, ok: false, problems: parsed.problems, warnings: [] };
  return { file, ok: true, problems: [], warnings: glossaryWarnings(parsed.glossary), glossary: parsed.glossary };
}

export function glossaryWarnings(glossary: Glossary): string[] {
  const warnings: string[] = [];
  const missing = new Map<Language, string[]>();
  glossary.entries.forEach((entry, index) => {
    const label = `entries[${index}] (id "${entry.id}")`;
    for (const language of LANGUAGES) {
      const name = entry.names[language];
      if (name === undefined) missing.set(language, [...(missing.get(language) ?? []), entry.id]);
      const seen = new Set<string>();
      (entry.aliases[language] ?? []).forEach((alias, i) => {
        // Spacing variants ("Star Dust" for "Stardust") are useful aliases; only exact repeats are redundant.
        const key = sameKey(alias);
        if (name !== undefined && key === sameKey(name)) {
          warnings.push(`${label} aliases.${language}[${i}]: "${alias}" is the entry's own ${language} name`);
        } else if (seen.has(key)) {
          warnings.push(`${label} aliases.${language}[${i}]: "${alias}" is listed twice`);
        }
        seen.add(key);
      });
    }
  });
  for (const [language, ids] of missing) {
    const shown = ids.length > 8 ? `${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more` : ids.join(', ');
    warnings.push(
      `${ids.length} entr${ids.length === 1 ? 'y has' : 'ies have'} no ${language} name (answers in ${language} cannot be checked for them): ${shown}`,
    );
  }
  return warnings;
}

function sameKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
}
