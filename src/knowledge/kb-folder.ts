import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const MARKER = 'kb-folder.txt';

/**
 * Which folder the local knowledge base mirrors: KB_DOCS_DIR when set, else the folder last given to
 * `dualnova ingest`, else the shipped sample.
 */
export function resolveKbDocsDir(explicit: string | undefined, dataDir: string, sampleDir: string): string {
  if (explicit) return explicit;
  const marker = path.join(dataDir, MARKER);
  if (existsSync(marker)) {
    const remembered = readFileSync(marker, 'utf8').trim();
    if (remembered && existsSync(remembered)) return remembered;
  }
  return sampleDir;
}

export function rememberKbDocsDir(dataDir: string, dir: string): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, MARKER), `${dir}\n`);
}
