import { createHash } from 'node:crypto';
import { systemClock, type Clock, type Timer } from '../time/clock.js';
import { readFileSync, statSync } from 'node:fs';
import { parseGlossaryJson } from './load.js';
import type { Glossary } from './types.js';

export interface GlossaryStatus {
  /** False while the file on disk is broken or missing; the last good glossary stays in use. */
  ok: boolean;
  file: string;
  game: string;
  version: string;
  entries: number;
  /** When the glossary in use was loaded (ISO time). */
  loadedAt: string;
  /** When the file was last looked at. */
  checkedAt: string;
  error?: {
    message: string;
    /** One line per problem, each naming its entry. */
    problems: string[];
    /** Since when the file has been unusable. */
    since: string;
  };
}

export interface GlossaryReloaderOptions {
  /** How often the file is looked at (default 2 s). */
  intervalMs?: number;
  /** The polling timer's clock (tests advance a manual one). */
  clock?: Clock;
  /** Told about each new glossary (build a new PromptBuilder here: its prefix holds the glossary). */
  onReload?: (glossary: Glossary) => void;
  /** Told once each time the file becomes unusable, and once when it recovers. */
  onError?: (status: GlossaryStatus) => void;
  log?: { info: (fields: object, message: string) => void; warn: (fields: object, message: string) => void };
}

export type ReloadOutcome = 'unchanged' | 'reloaded' | 'failed';

interface FileStamp {
  mtimeMs: number;
  size: number;
  ino: number;
}

/**
 * Keeps the glossary in step with GLOSSARY_FILE without a restart: the file is polled (stat every
 * few seconds, which works with editors that replace the file and on network filesystems, unlike
 * fs.watch), re-read when its stamp changes, and swapped in only when it validates. A broken or
 * missing file keeps the last good glossary and is reported by status() until it is fixed.
 */
export class GlossaryReloader {
  private glossary: Glossary;
  private loadedAt = new Date().toISOString();
  private checkedAt = this.loadedAt;
  private stamp: FileStamp | undefined;
  private hash: string | undefined;
  private error: GlossaryStatus['error'];
  private timer: Timer | undefined;

  constructor(
    readonly file: string,
    initial: Glossary,
    private readonly options: GlossaryReloaderOptions = {},
  ) {
    this.glossary = initial;
    this.stamp = this.readStamp();
    try {
      this.hash = digest(readFileSync(file));
    } catch {
      this.hash = undefined;
    }
  }

  current(): Glossary {
    return this.glossary;
  }

  status(): GlossaryStatus {
    return {
      ok: this.error === undefined,
      file: this.file,
      game: this.glossary.game,
      version: this.glossary.version,
      entries: this.glossary.entries.length,
      loadedAt: this.loadedAt,
      checkedAt: this.checkedAt,
      ...(this.error ? { error: this.error } : {}),
    };
  }

  start(): void {
    if (this.timer) return;
    // The clock's timers never keep the process (a CLI command, a test) alive on their own.
    this.timer = (this.options.clock ?? systemClock).every(this.options.intervalMs ?? 2000, () => this.checkNow());
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Looks at the file now; reloads it when it changed. */
  checkNow(): ReloadOutcome {
    this.checkedAt = new Date().toISOString();
    let stamp: FileStamp | undefined;
    try {
      stamp = this.readStamp(true);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      this.fail(`cannot read ${this.file} (${code})`, [`cannot read the file (${code})`]);
      this.stamp = undefined;
      return 'failed';
    }
    if (stamp && this.stamp && sameStamp(stamp, this.stamp) && this.error === undefined) return 'unchanged';
    if (stamp && this.stamp && sameStamp(stamp, this.stamp)) return 'failed';
    this.stamp = stamp;

    let bytes: Buffer;
    try {
      bytes = readFileSync(this.file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'error';
      this.fail(`cannot read ${this.file} (${code})`, [`cannot read the file (${code})`]);
      return 'failed';
    }
    const hash = digest(bytes);
    if (hash === this.hash && this.error === undefined) return 'unchanged';
    const parsed = parseGlossaryJson(bytes.toString('utf8'));
    if (!parsed.ok) {
      this.hash = hash;
      this.fail(
        `${this.file} is invalid (${parsed.problems.length} problem${parsed.problems.length === 1 ? '' : 's'}); still using version ${this.glossary.version} loaded at ${this.loadedAt}`,
        parsed.problems,
      );
      return 'failed';
    }
    const recovered = this.error !== undefined;
    this.hash = hash;
    this.glossary = parsed.glossary;
    this.loadedAt = new Date().toISOString();
    this.error = undefined;
    this.options.log?.info(
      { file: this.file, version: parsed.glossary.version, entries: parsed.glossary.entries.length, recovered },
      'glossary reloaded',
    );
    this.options.onReload?.(parsed.glossary);
    return 'reloaded';
  }

  private fail(message: string, problems: string[]): void {
    const changed = this.error?.message !== message || this.error.problems.join('\n') !== problems.join('\n');
    if (!changed) return;
    this.error = { message, problems, since: this.error?.since ?? new Date().toISOString() };
    this.options.log?.warn({ file: this.file, problems }, `glossary not reloaded: ${message}`);
    this.options.onError?.(this.status());
  }

  private readStamp(throwOnError = false): FileStamp | undefined {
    try {
      const stat = statSync(this.file);
      return { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino };
    } catch (error) {
      if (throwOnError) throw error;
      return undefined;
    }
  }
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
