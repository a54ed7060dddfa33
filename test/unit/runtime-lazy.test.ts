import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/app/runtime.js';
import { loadSettings } from '../../src/config/settings.js';
import { createLogger } from '../../src/log/logger.js';
import { ManualClock } from '../helpers/manual-clock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function settingsIn(): ReturnType<typeof loadSettings> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'dualnova-lazy-'));
  dirs.push(dataDir);
  return loadSettings({ env: { DATA_DIR: dataDir, MODEL_PROVIDER: 'offline', LOG_LEVEL: 'silent' } });
}

describe('lazy composition', () => {
  it('a one-shot command builds only what it touches: no knowledge-base index, no background timers', async () => {
    const settings = settingsIn();
    const clock = new ManualClock();
    const runtime = await createRuntime(settings, createLogger('silent'), { background: false, clock });
    try {
      // What `dualnova translate` uses: the translator (offline: it says why it cannot translate).
      expect(runtime.translator.available).toBe(false);
      expect(existsSync(path.join(settings.dataDir, 'kb-index.sqlite'))).toBe(false);
      expect(clock.pending).toBe(0);
      // The knowledge base is indexed on first use, once.
      expect(runtime.ingestReport.added).toBeGreaterThan(0);
      expect(existsSync(path.join(settings.dataDir, 'kb-index.sqlite'))).toBe(true);
      expect(runtime.localIndex).toBe(runtime.localIndex);
    } finally {
      await runtime.close();
    }
  });

  it('a server indexes at start and runs its background work on the injected clock', async () => {
    const settings = settingsIn();
    const clock = new ManualClock();
    const runtime = await createRuntime(settings, createLogger('silent'), { clock });
    try {
      expect(existsSync(path.join(settings.dataDir, 'kb-index.sqlite'))).toBe(true);
      expect(clock.pending).toBeGreaterThan(0); // glossary watcher (and the probe rounds once the first one ends)
    } finally {
      await runtime.close();
    }
    expect(clock.pending).toBe(0); // close stops every timer
  });
});
