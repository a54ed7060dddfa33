import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GlossaryError, loadGlossaryFile, parseGlossaryJson, validateGlossary } from '../../src/glossary/load.js';
import { GLOSSARY_CATEGORIES } from '../../src/glossary/types.js';

const SHIPPED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../kb/glossary.json');

function entry(id: string, ko: string, en: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, category: 'item', names: { ko, en }, aliases: {}, description: `${en}.`, ...extra };
}

function problemsOf(data: unknown): string[] {
  const result = validateGlossary(data);
  if (result.ok) throw new Error('expected the glossary to be invalid');
  return result.problems;
}

describe('the shipped glossary', () => {
  it('validates and covers every category', () => {
    const glossary = loadGlossaryFile(SHIPPED);
    expect(glossary.game).toBe('Starfall Chronicles');
    expect(glossary.entries.length).toBeGreaterThanOrEqual(20);
    expect(new Set(glossary.entries.map((e) => e.category))).toEqual(new Set(GLOSSARY_CATEGORIES));
    expect(glossary.entries.filter((e) => e.category === 'character').length).toBeGreaterThanOrEqual(4);
    expect(glossary.entries.map((e) => e.id)).toContain('account-recovery');
  });
});

describe('validateGlossary problems name the entry and field', () => {
  it('accepts a minimal glossary and fills in defaults', () => {
    const result = validateGlossary({
      game: 'G',
      version: '1',
      entries: [{ id: 'gold', category: 'item', names: { ko: '골드', en: 'Gold' } }],
    });
    expect(result).toEqual({
      ok: true,
      glossary: {
        game: 'G',
        version: '1',
        entries: [{ id: 'gold', category: 'item', names: { ko: '골드', en: 'Gold' }, aliases: {}, description: '' }],
      },
    });
  });

  it('reports an alias used by two entries', () => {
    const problems = problemsOf({
      game: 'G',
      version: '1',
      entries: [
        entry('star-shard', '별의 파편', 'Star Shard', { aliases: { ko: ['파편'] } }),
        entry('aether-core', '에테르 코어', 'Aether Core', { aliases: { ko: ['파 편'], en: ['core'] } }),
      ],
    });
    expect(problems).toEqual([
      'entries[1] (id "aether-core") aliases.ko[0]: "파 편" is already used by entries[0] (id "star-shard") aliases.ko[0]',
    ]);
  });

  it('reports an alias that is another entry’s name, case-insensitively', () => {
    const problems = problemsOf({
      game: 'G',
      version: '1',
      entries: [entry('gold', '골드', 'Gold'), entry('coin', '코인', 'Coin', { aliases: { en: ['GOLD'] } })],
    });
    expect(problems).toEqual(['entries[1] (id "coin") aliases.en[0]: "GOLD" is already used by entries[0] (id "gold") names.en']);
  });

  it('reports duplicate ids', () => {
    const problems = problemsOf({ game: 'G', version: '1', entries: [entry('gold', '골드', 'Gold'), entry('gold', '금화', 'Gold coin')] });
    expect(problems).toEqual(['entries[1] (id "gold") id: duplicate id, already used by entries[0]']);
  });

  it('reports empty and missing names', () => {
    const problems = problemsOf({
      game: 'G',
      version: '1',
      entries: [entry('gold', '  ', 'Gold'), { id: 'aria', category: 'character', names: { ko: '아리아' } }],
    });
    expect(problems).toEqual(['entries[0] (id "gold") names.ko: must not be empty', 'entries[1] (id "aria") names.en: is required']);
  });

  it('reports an unknown category with the allowed ones', () => {
    const problems = problemsOf({ game: 'G', version: '1', entries: [entry('boss', '보스', 'Boss', { category: 'monster' })] });
    expect(problems).toEqual([
      'entries[0] (id "boss") category: unknown category "monster"; expected one of character, item, location, game-term, cs-term',
    ]);
  });

  it('reports unknown keys, bad ids and a bad top level', () => {
    expect(problemsOf({ game: '', version: '1', entries: [] })).toEqual(['game: must not be empty']);
    expect(problemsOf({ game: 'G', version: '1', entries: [entry('Bad Id', '가', 'A')] })[0]).toMatch(
      /^entries\[0\] \(id "Bad Id"\) id: must be lower-case/u,
    );
    expect(problemsOf({ game: 'G', version: '1', entries: [entry('a', '가', 'A', { names: { ko: '가', en: 'A', fr: 'A' } })] })[0]).toMatch(
      /^entries\[0\] \(id "a"\) names: Unrecognized key/u,
    );
    expect(problemsOf([])).toEqual(['glossary: Invalid input: expected object, received array']);
  });
});

describe('loadGlossaryFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dualnova-glossary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('locates bad JSON by line, column and nearest entry', () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      '{\n  "game": "G",\n  "version": "1",\n  "entries": [\n    { "id": "gold", "category": "item", "names": { "ko": "골드" "en": "Gold" } }\n  ]\n}\n',
    );
    const error = (() => {
      try {
        loadGlossaryFile(file);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(GlossaryError);
    const problems = (error as GlossaryError).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^invalid JSON at line 5, column \d+ near entry "gold": /u);
    expect((error as GlossaryError).message).toContain(file);
  });

  it('collects every problem of a file at once', () => {
    const file = path.join(dir, 'many.json');
    writeFileSync(
      file,
      JSON.stringify({ game: 'G', version: '1', entries: [entry('a', '', 'A'), entry('b', '비', 'A', { category: 'x' })] }),
    );
    expect(() => loadGlossaryFile(file)).toThrow(GlossaryError);
    try {
      loadGlossaryFile(file);
    } catch (e) {
      expect((e as GlossaryError).problems).toHaveLength(3);
    }
  });

  it('reports an unreadable file', () => {
    expect(() => loadGlossaryFile(path.join(dir, 'missing.json'))).toThrow(/cannot read the file \(ENOENT\)/u);
  });

  it('accepts a byte-order mark', () => {
    expect(parseGlossaryJson(`\uFEFF${JSON.stringify({ game: 'G', version: '1', entries: [] })}`).ok).toBe(true);
  });
});
