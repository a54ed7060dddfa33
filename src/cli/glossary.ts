import path from 'node:path';
import { checkGlossaryFile } from '../glossary/check.js';
import { findGlossaryTerms } from '../glossary/match.js';
import { loadGlossaryFile } from '../glossary/load.js';
import { LANGUAGES } from '../lang/languages.js';

interface Output {
  write(text: string): unknown;
}

/**
 * `dualnova glossary check FILE`: every problem with the entry it is in, then warnings.
 * Exit 0 when the file is usable (warnings allowed), 1 when it is not.
 */
export function runGlossaryCheck(file: string, out: Output = process.stdout, err: Output = process.stderr): number {
  const shown = file;
  const report = checkGlossaryFile(path.resolve(file));
  if (!report.ok) {
    err.write(
      `${shown}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}; the server would keep its last good glossary:\n`,
    );
    for (const problem of report.problems) err.write(`  - ${problem}\n`);
    return 1;
  }
  const glossary = report.glossary;
  out.write(`${shown}: OK — ${glossary?.entries.length ?? 0} entries (${glossary?.game ?? ''} ${glossary?.version ?? ''})\n`);
  for (const warning of report.warnings) out.write(`  warning: ${warning}\n`);
  return 0;
}

/** `dualnova glossary find "text" [--file FILE]`: the glossary entries a text mentions, with every name. */
export function runGlossaryFind(text: string, file: string, out: Output = process.stdout): number {
  const glossary = loadGlossaryFile(path.resolve(file));
  const found = findGlossaryTerms(glossary, text);
  if (found.length === 0) {
    out.write('No glossary terms found.\n');
    return 0;
  }
  for (const { entry, matched } of found) {
    const names = LANGUAGES.map((language) => (entry.names[language] ? `${language}: ${entry.names[language]}` : undefined)).filter(
      Boolean,
    );
    out.write(`${matched} → ${entry.id} (${entry.category}) — ${names.join(' · ')}\n`);
  }
  return 0;
}
