import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { LANGUAGES } from '../lang/languages.js';
import { glossaryFileSchema } from './schema.js';
import { termKey } from './terms.js';
import type { Glossary } from './types.js';

/** A glossary that cannot be used, with one line per problem (each naming the entry and field). */
export class GlossaryError extends Error {
  override readonly name = 'GlossaryError';
  constructor(
    readonly file: string | undefined,
    readonly problems: string[],
  ) {
    super(`${file === undefined ? 'Glossary' : `Glossary file ${file}`} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export type GlossaryValidation = { ok: true; glossary: Glossary } | { ok: false; problems: string[] };

export function loadGlossaryFile(file: string): Glossary {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new GlossaryError(file, [`cannot read the file (${code})`]);
  }
  const result = parseGlossaryJson(text);
  if (!result.ok) throw new GlossaryError(file, result.problems);
  return result.glossary;
}

/** Parses and validates glossary JSON text; JSON syntax errors are located by line, column and nearest entry. */
export function parseGlossaryJson(text: string): GlossaryValidation {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/u, ''));
  } catch (error) {
    return { ok: false, problems: [describeJsonError(text, error)] };
  }
  return validateGlossary(data);
}

export function validateGlossary(data: unknown): GlossaryValidation {
  const parsed = glossaryFileSchema.safeParse(data);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(data, issue));
  problems.push(...crossEntryProblems(data));
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, glossary: parsed.data };
}

type Path = readonly PropertyKey[];

function describeIssue(data: unknown, issue: z.core.$ZodIssue): string {
  const path: Path = issue.path;
  if (path[0] === 'entries' && typeof path[1] === 'number') {
    const field = formatPath(path.slice(2));
    return `${entryLabel(data, path[1])}${field === '' ? '' : ` ${field}`}: ${issue.message}`;
  }
  const field = formatPath(path);
  return `${field === '' ? 'glossary' : field}: ${issue.message}`;
}

function formatPath(path: Path): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function rawEntries(data: unknown): unknown[] {
  if (!isRecord(data) || !Array.isArray(data.entries)) return [];
  return data.entries;
}

function entryLabel(data: unknown, index: number): string {
  const entry = rawEntries(data)[index];
  const id = isRecord(entry) && typeof entry.id === 'string' && entry.id !== '' ? entry.id : undefined;
  return id === undefined ? `entries[${index}]` : `entries[${index}] (id "${id}")`;
}

interface TermOwner {
  index: number;
  field: string;
}

/** Checks that need the whole list: duplicate ids, and one term claimed by two entries (which would make matching ambiguous). */
function crossEntryProblems(data: unknown): string[] {
  const entries = rawEntries(data);
  const problems: string[] = [];
  const idOwners = new Map<string, number>();
  const termOwners = new Map<string, TermOwner>();

  entries.forEach((entry, index) => {
    if (!isRecord(entry)) return;
    if (typeof entry.id === 'string' && entry.id !== '') {
      const first = idOwners.get(entry.id);
      if (first === undefined) idOwners.set(entry.id, index);
      else problems.push(`${entryLabel(data, index)} id: duplicate id, already used by entries[${first}]`);
    }

    const ownTerms = new Set<string>();
    for (const { text, field } of rawTerms(entry)) {
      const key = termKey(text);
      if (key === '' || ownTerms.has(key)) continue;
      ownTerms.add(key);
      const owner = termOwners.get(key);
      if (owner === undefined) {
        termOwners.set(key, { index, field });
      } else {
        problems.push(
          `${entryLabel(data, index)} ${field}: "${text.trim()}" is already used by ${entryLabel(data, owner.index)} ${owner.field}`,
        );
      }
    }
  });
  return problems;
}

function rawTerms(entry: Record<string, unknown>): { text: string; field: string }[] {
  const terms: { text: string; field: string }[] = [];
  const names = entry.names;
  const aliases = entry.aliases;
  for (const language of LANGUAGES) {
    if (isRecord(names) && typeof names[language] === 'string') {
      terms.push({ text: names[language], field: `names.${language}` });
    }
  }
  for (const language of LANGUAGES) {
    const list = isRecord(aliases) ? aliases[language] : undefined;
    if (!Array.isArray(list)) continue;
    list.forEach((alias: unknown, i) => {
      if (typeof alias === 'string') terms.push({ text: alias, field: `aliases.${language}[${i}]` });
    });
  }
  return terms;
}

function describeJsonError(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /position (\d+)/u.exec(message)?.[1];
  if (position === undefined) return `invalid JSON: ${message}`;
  const offset = Number(position);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  const ids = [...before.matchAll(/"id"\s*:\s*"([^"\\]*)"/gu)];
  const lastId = ids.at(-1)?.[1];
  const near = lastId === undefined ? '' : ` near entry "${lastId}"`;
  return `invalid JSON at line ${line}, column ${column}${near}: ${message}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
