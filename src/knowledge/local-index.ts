import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeExcerpt } from './chunk.js';
import { tokenString } from './tokenize.js';

/** Bump when tokenize.ts changes what it emits: stored token strings are then stale and the index is rebuilt. */
const TOKENIZER_VERSION = '1';

export interface DocumentInput {
  /** Path relative to the knowledge-base root, with forward slashes. */
  id: string;
  title: string;
  uri: string;
  content: string;
  contentHash: string;
  mtimeMs: number;
  /** The document cut into passages (see chunkPassages). */
  passages: string[];
}

export interface DocumentState {
  id: string;
  contentHash: string;
  mtimeMs: number;
}

export interface StoredDocument {
  id: string;
  title: string;
  uri: string;
  content: string;
}

export interface PassageHit {
  documentId: string;
  /** 1-based position of the passage in its document. */
  ordinal: number;
  title: string;
  uri: string;
  content: string;
  excerpt: string;
  /** FTS5 bm25: negative, lower is better. */
  bm25: number;
}

interface PassageRow {
  document_id: string;
  ordinal: number;
  title: string;
  uri: string;
  content: string;
  excerpt: string;
  rank: number;
}

/**
 * The local knowledge base: a SQLite file with the documents, their passages, and an FTS5 table
 * over the passages' search tokens (title and body columns, so bm25 can weight the title).
 */
export class LocalIndex {
  private readonly db: Database.Database;

  /** `file` is created with its folder if missing; ':memory:' gives a throw-away index. */
  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    if (file !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
    const row = this.db.prepare<[], { value: string }>("SELECT value FROM kb_meta WHERE key = 'tokenizer'").get();
    if (row !== undefined && row.value !== TOKENIZER_VERSION) {
      this.db.exec('DROP TABLE IF EXISTS kb_passages_fts; DROP TABLE IF EXISTS kb_passages; DROP TABLE IF EXISTS kb_documents;');
    }
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS kb_documents (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        uri TEXT NOT NULL,
        content TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        mtime_ms INTEGER NOT NULL,
        indexed_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS kb_passages (
        id INTEGER PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES kb_documents (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        content TEXT NOT NULL,
        excerpt TEXT NOT NULL,
        UNIQUE (document_id, ordinal)
      );
      CREATE VIRTUAL TABLE IF NOT EXISTS kb_passages_fts USING fts5(title, body, tokenize = 'unicode61');
    `);
    this.db
      .prepare("INSERT INTO kb_meta (key, value) VALUES ('tokenizer', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
      .run(TOKENIZER_VERSION);
  }

  /** Runs `fn` in one transaction (nested calls join the outer one). */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  documentStates(): DocumentState[] {
    return this.db
      .prepare<[], DocumentState>('SELECT id, content_hash AS contentHash, mtime_ms AS mtimeMs FROM kb_documents ORDER BY id')
      .all();
  }

  documents(): StoredDocument[] {
    return this.db.prepare<[], StoredDocument>('SELECT id, title, uri, content FROM kb_documents ORDER BY id').all();
  }

  /** Inserts or replaces a document and all of its passages. */
  putDocument(doc: DocumentInput): void {
    this.transaction(() => {
      this.deletePassages(doc.id);
      this.db
        .prepare(
          `INSERT INTO kb_documents (id, title, uri, content, content_hash, mtime_ms, indexed_at)
           VALUES (@id, @title, @uri, @content, @contentHash, @mtimeMs, @indexedAt)
           ON CONFLICT (id) DO UPDATE SET title = excluded.title, uri = excluded.uri, content = excluded.content,
             content_hash = excluded.content_hash, mtime_ms = excluded.mtime_ms, indexed_at = excluded.indexed_at`,
        )
        .run({
          id: doc.id,
          title: doc.title,
          uri: doc.uri,
          content: doc.content,
          contentHash: doc.contentHash,
          mtimeMs: Math.trunc(doc.mtimeMs),
          indexedAt: new Date().toISOString(),
        });
      const insertPassage = this.db.prepare<[string, number, string, string]>(
        'INSERT INTO kb_passages (document_id, ordinal, content, excerpt) VALUES (?, ?, ?, ?)',
      );
      const insertFts = this.db.prepare<[number | bigint, string, string]>(
        'INSERT INTO kb_passages_fts (rowid, title, body) VALUES (?, ?, ?)',
      );
      const titleTokens = tokenString(doc.title);
      doc.passages.forEach((passage, i) => {
        const { lastInsertRowid } = insertPassage.run(doc.id, i + 1, passage, makeExcerpt(passage, 200, doc.title));
        insertFts.run(lastInsertRowid, titleTokens, tokenString(passage));
      });
    });
  }

  /** Records a new modification time for a document whose content did not change. */
  touchDocument(id: string, mtimeMs: number): void {
    this.db.prepare('UPDATE kb_documents SET mtime_ms = ? WHERE id = ?').run(Math.trunc(mtimeMs), id);
  }

  removeDocument(id: string): boolean {
    return this.transaction(() => {
      this.deletePassages(id);
      return this.db.prepare('DELETE FROM kb_documents WHERE id = ?').run(id).changes > 0;
    });
  }

  private deletePassages(documentId: string): void {
    this.db.prepare('DELETE FROM kb_passages_fts WHERE rowid IN (SELECT id FROM kb_passages WHERE document_id = ?)').run(documentId);
    this.db.prepare('DELETE FROM kb_passages WHERE document_id = ?').run(documentId);
  }

  /** Passages matching an FTS5 expression (see toFtsQuery), best first; title matches weigh 10x. */
  search(match: string, limit: number): PassageHit[] {
    const rows = this.db
      .prepare<[string, number], PassageRow>(
        `SELECT p.document_id, p.ordinal, d.title, d.uri, p.content, p.excerpt,
                bm25(kb_passages_fts, 10.0, 1.0) AS rank
           FROM kb_passages_fts
           JOIN kb_passages p ON p.id = kb_passages_fts.rowid
           JOIN kb_documents d ON d.id = p.document_id
          WHERE kb_passages_fts MATCH ?
          ORDER BY rank, p.document_id, p.ordinal
          LIMIT ?`,
      )
      .all(match, limit);
    return rows.map((row) => ({
      documentId: row.document_id,
      ordinal: row.ordinal,
      title: row.title,
      uri: row.uri,
      content: row.content,
      excerpt: row.excerpt,
      bm25: row.rank,
    }));
  }

  stats(): { documents: number; passages: number } {
    const count = (table: string): number => this.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0;
    return { documents: count('kb_documents'), passages: count('kb_passages') };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
