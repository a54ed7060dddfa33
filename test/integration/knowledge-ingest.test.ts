import { mkdtempSync, mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IngestError, ingestFolder } from '../../src/knowledge/ingest.js';
import { LocalIndex } from '../../src/knowledge/local-index.js';
import { LocalRetriever } from '../../src/knowledge/local-retriever.js';

describe('ingestFolder (real SQLite file)', () => {
  let dir: string;
  let docs: string;
  let dbFile: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'dualnova-kb-'));
    docs = path.join(dir, 'docs');
    dbFile = path.join(dir, 'data', 'kb-index.sqlite');
    mkdirSync(path.join(docs, 'faq'), { recursive: true });
    writeFileSync(path.join(docs, 'refunds.md'), '# 환불 정책\n\n결제 후 7일 이내 환불할 수 있습니다.');
    writeFileSync(path.join(docs, 'faq', 'crash.markdown'), '# Crash help\n\nVerify files in the launcher.');
    writeFileSync(path.join(docs, 'faq', 'maintenance.txt'), 'Maintenance is every Wednesday from 06:00 KST.');
    writeFileSync(path.join(docs, 'faq', 'ignored.json'), '{"not":"indexed"}');
    writeFileSync(path.join(docs, '.hidden.md'), '# Hidden\n\nsecret');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('adds, updates, removes and leaves unchanged files, without duplicates', async () => {
    const index = new LocalIndex(dbFile);
    try {
      expect(ingestFolder(index, docs)).toMatchObject({ added: 3, updated: 0, removed: 0, unchanged: 0 });
      expect(index.documents().map((d) => [d.id, d.title, d.uri])).toEqual([
        ['faq/crash.markdown', 'Crash help', 'kb://faq/crash.markdown'],
        ['faq/maintenance.txt', 'maintenance', 'kb://faq/maintenance.txt'],
        ['refunds.md', '환불 정책', 'kb://refunds.md'],
      ]);

      expect(ingestFolder(index, docs)).toMatchObject({ added: 0, updated: 0, removed: 0, unchanged: 3 });

      writeFileSync(path.join(docs, 'refunds.md'), '# 환불 정책\n\n결제 후 14일 이내 환불할 수 있습니다. 청약 철회 안내.');
      unlinkSync(path.join(docs, 'faq', 'crash.markdown'));
      writeFileSync(path.join(docs, 'faq', 'events.md'), '# 이벤트\n\n별똥별 축제는 4주 동안 진행됩니다.');

      expect(ingestFolder(index, docs)).toMatchObject({ added: 1, updated: 1, removed: 1, unchanged: 1 });
      expect(index.stats()).toEqual({ documents: 3, passages: 3 });

      const retriever = new LocalRetriever(index);
      expect(await retriever.retrieve('launcher verify')).toEqual([]);
      expect((await retriever.retrieve('청약 철회'))[0]?.id).toBe('refunds.md#1');
      expect((await retriever.retrieve('14일'))[0]?.content).toContain('14일');
      expect((await retriever.retrieve('별똥별 축제'))[0]?.id).toBe('faq/events.md#1');
    } finally {
      index.close();
    }

    // No orphan or duplicate rows are left behind in any table.
    const db = new Database(dbFile, { readonly: true });
    try {
      const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
      expect(count('SELECT count(*) AS n FROM kb_documents')).toBe(3);
      expect(count('SELECT count(*) AS n FROM kb_passages')).toBe(3);
      expect(count('SELECT count(*) AS n FROM kb_passages_fts')).toBe(3);
      expect(count('SELECT count(*) AS n FROM (SELECT document_id, ordinal FROM kb_passages GROUP BY 1, 2 HAVING count(*) > 1)')).toBe(0);
      expect(count('SELECT count(*) AS n FROM kb_passages_fts WHERE rowid NOT IN (SELECT id FROM kb_passages)')).toBe(0);
    } finally {
      db.close();
    }
  });

  it('keeps the index across reopening the file', async () => {
    const first = new LocalIndex(dbFile);
    ingestFolder(first, docs);
    first.close();
    const second = new LocalIndex(dbFile);
    try {
      expect(ingestFolder(second, docs)).toMatchObject({ added: 0, unchanged: 3 });
      expect((await new LocalRetriever(second).retrieve('환불'))[0]?.id).toBe('refunds.md#1');
    } finally {
      second.close();
    }
  });

  it('chunks long documents into passages with their own ids', async () => {
    const body = Array.from(
      { length: 8 },
      (_, i) => `## Section ${i + 1}\n\n${`Section ${i + 1} talks about topic${i + 1}. `.repeat(12)}`,
    ).join('\n\n');
    writeFileSync(path.join(docs, 'long.md'), `# Long guide\n\n${body}`);
    const index = new LocalIndex(dbFile);
    try {
      ingestFolder(index, docs);
      const [hit] = await new LocalRetriever(index).retrieve('topic7');
      expect(hit?.id).toMatch(/^long\.md#[2-9]$/u);
      expect(hit?.title).toBe('Long guide');
      expect(hit?.content).toContain('topic7');
      expect(hit?.content.length).toBeLessThanOrEqual(1200);
      expect(hit?.excerpt.length).toBeLessThanOrEqual(201);
      expect(hit?.score).toBeGreaterThan(0);
    } finally {
      index.close();
    }
  });

  it('refuses a missing folder instead of emptying the index', () => {
    const index = new LocalIndex(dbFile);
    try {
      ingestFolder(index, docs);
      expect(() => ingestFolder(index, path.join(dir, 'missing'))).toThrow(IngestError);
      expect(index.stats().documents).toBe(3);
    } finally {
      index.close();
    }
  });
});
