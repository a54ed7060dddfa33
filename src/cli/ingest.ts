import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadSettingsFromSources } from '../aws/settings-secret.js';
import { ingestFolder } from '../knowledge/ingest.js';
import { rememberKbDocsDir } from '../knowledge/kb-folder.js';
import { LocalIndex } from '../knowledge/local-index.js';

export async function runIngest(dir: string): Promise<number> {
  const settings = await loadSettingsFromSources();
  const index = new LocalIndex(path.join(settings.dataDir, 'kb-index.sqlite'));
  try {
    const folder = path.resolve(dir);
    if (!existsSync(folder)) {
      process.stderr.write(`dualnova: ${folder} does not exist\n`);
      return 2;
    }
    const report = ingestFolder(index, folder);
    if (!settings.kbDocsDir) rememberKbDocsDir(settings.dataDir, folder);
    process.stdout.write(
      `Indexed ${folder}: ${report.added} added, ${report.updated} updated, ${report.removed} removed, ${report.unchanged} unchanged.\n` +
        (settings.kbDocsDir
          ? `Note: KB_DOCS_DIR=${settings.kbDocsDir} is set; the server mirrors that folder, not this one.\n`
          : `The server now answers from this folder (it re-reads it at every start).\n`),
    );
    return 0;
  } finally {
    index.close();
  }
}
