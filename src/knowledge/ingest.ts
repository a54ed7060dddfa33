import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { chunkPassages, markdownTitle } from './chunk.js';
import type { LocalIndex } from './local-index.js';

export interface IngestResult {
  added: number;
  updated: number;
  removed: number;
  unchanged: number;
  /** Files that were found but not indexed, with the reason. */
  skipped: { file: string; reason: string }[];
}

export const KB_FILE_EXTENSIONS = ['.md', '.markdown', '.txt'] as const;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export class IngestError extends Error {
  override readonly name = 'IngestError';
}

/** The `uri` of a local document: not a web address, so the UI never renders it as a remote link. */
export function localDocumentUri(relativePath: string): string {
  return `kb://${relativePath}`;
}

interface FoundFile {
  id: string;
  absolute: string;
}

/**
 * Brings the index in line with the folder: new files are added, files whose content hash changed
 * are re-chunked, files no longer present are removed. One transaction, so a reader never sees a
 * half-ingested knowledge base.
 */
export function ingestFolder(index: LocalIndex, dir: string): IngestResult {
  const root = path.resolve(dir);
  let rootStat;
  try {
    rootStat = statSync(root);
  } catch (error) {
    throw new IngestError(`Knowledge base folder ${root} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!rootStat.isDirectory()) throw new IngestError(`Knowledge base path ${root} is not a folder`);

  const result: IngestResult = { added: 0, updated: 0, removed: 0, unchanged: 0, skipped: [] };
  const files = findFiles(root, result.skipped);
  const known = new Map(index.documentStates().map((state) => [state.id, state]));

  const loaded = files.flatMap((file) => {
    try {
      const stat = statSync(file.absolute);
      if (stat.size > MAX_FILE_BYTES) {
        result.skipped.push({ file: file.id, reason: `larger than ${MAX_FILE_BYTES} bytes` });
        return [];
      }
      const bytes = readFileSync(file.absolute);
      return [{ ...file, bytes, mtimeMs: stat.mtimeMs }];
    } catch (error) {
      result.skipped.push({ file: file.id, reason: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return [];
    }
  });

  index.transaction(() => {
    const present = new Set<string>();
    for (const file of loaded) {
      present.add(file.id);
      const contentHash = createHash('sha256').update(file.bytes).digest('hex');
      const previous = known.get(file.id);
      if (previous?.contentHash === contentHash) {
        if (previous.mtimeMs !== Math.trunc(file.mtimeMs)) index.touchDocument(file.id, file.mtimeMs);
        result.unchanged += 1;
        continue;
      }
      const content = file.bytes
        .toString('utf8')
        .replace(/^\uFEFF/u, '')
        .replace(/\r\n?/gu, '\n');
      const fallbackTitle = path.basename(file.id, path.extname(file.id));
      index.putDocument({
        id: file.id,
        title: markdownTitle(content) ?? fallbackTitle,
        uri: localDocumentUri(file.id),
        content,
        contentHash,
        mtimeMs: file.mtimeMs,
        passages: chunkPassages(content),
      });
      if (previous === undefined) result.added += 1;
      else result.updated += 1;
    }
    for (const id of known.keys()) {
      // A file that exists but could not be read this time keeps its previous version.
      if (present.has(id) || files.some((file) => file.id === id)) continue;
      index.removeDocument(id);
      result.removed += 1;
    }
  });
  return result;
}

function findFiles(root: string, skipped: IngestResult['skipped']): FoundFile[] {
  const found: FoundFile[] = [];
  const walk = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ file: toId(root, dir), reason: `folder cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(absolute);
      } else if (entry.isFile() || (entry.isSymbolicLink() && isFile(absolute))) {
        const extension = path.extname(entry.name).toLowerCase();
        if ((KB_FILE_EXTENSIONS as readonly string[]).includes(extension)) found.push({ id: toId(root, absolute), absolute });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function toId(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/').normalize('NFC');
}
