import type { Logger } from '../log/logger.js';
import { systemClock, type Clock, type Timer } from '../time/clock.js';
import type { ProbeContext, ProbeResult } from './probes.js';
import type { DependencyState, DependencyStatus } from '../contract/status.js';

export interface DependencyDefinition {
  name: string;
  /** Chat cannot be served without it (the database, the models). */
  required: boolean;
  /** The check. Absent: `fixed` is the final answer and nothing is ever called. */
  probe?: (context: ProbeContext) => Promise<ProbeResult>;
  /** The result of a dependency without a check (not configured, AWS disabled). */
  fixed?: ProbeResult;
}

/** What the monitor knows about one dependency right now. */
export interface DependencyView extends ProbeResult {
  name: string;
  required: boolean;
  checkedAt: Date;
  pending: boolean;
  /** Where the current state comes from: the background check, or a real call seen on a request. */
  source: 'check' | 'observed' | 'fixed';
}

export interface MonitorOptions {
  /** Time between two rounds of checks, and how long a failure seen on a real call is believed. */
  ttlMs: number;
  /** Deadline of each check. */
  timeoutMs: number;
  logger?: Logger | undefined;
  /** The time source for check dates, the belief window and the rounds' timer (tests advance a manual one). */
  clock?: Clock;
}

interface Entry {
  definition: DependencyDefinition;
  result: ProbeResult;
  checkedAt: number;
  pending: boolean;
  observed?: { result: ProbeResult; at: number };
  /** What was last logged, so only changes are logged. */
  logged?: string;
}

const PENDING: ProbeResult = { state: 'degraded', detail: 'not checked yet: the first check is running' };

/**
 * The dependency registry at run time: runs every check in the background at start and then every
 * TTL, each under its own deadline, caches the results, and folds in what real calls on the
 * request path reveal (`observe`). Reading it (`statuses`, `view`) never calls anything, so the
 * status endpoint and the chat path never wait on AWS.
 */
export class DependencyMonitor {
  private readonly entries = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly stopController = new AbortController();
  private round: Promise<void> | undefined;
  private timer: Timer | undefined;
  private readonly clock: Clock;
  private started = false;
  private stopped = false;

  constructor(
    definitions: DependencyDefinition[],
    private readonly options: MonitorOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.now = () => this.clock.now();
    for (const definition of definitions) {
      const entry: Entry = definition.probe
        ? { definition, result: PENDING, checkedAt: this.now(), pending: true }
        : {
            definition,
            result: definition.fixed ?? { state: 'unconfigured', detail: 'not configured' },
            checkedAt: this.now(),
            pending: false,
          };
      this.entries.set(definition.name, entry);
    }
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** Starts the background checks: one round now, then one every TTL. Returns at once. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.refresh().finally(() => this.scheduleRound(this.options.ttlMs));
  }

  private scheduleRound(delayMs: number): void {
    if (this.stopped) return;
    // The clock's timers never keep a CLI command (or a test) alive.
    this.timer = this.clock.after(delayMs, () => {
      void this.refresh().finally(() => this.scheduleRound(this.options.ttlMs));
    });
  }

  /** Runs every check now and resolves when all have finished (a round already running is joined). */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (!this.round) {
      const checks = [...this.entries.values()].filter((entry) => entry.definition.probe).map((entry) => this.check(entry));
      for (const entry of this.entries.values()) if (!entry.definition.probe) this.publish(entry);
      this.round = Promise.all(checks).then(
        () => undefined,
        () => undefined,
      );
      void this.round.finally(() => {
        this.round = undefined;
      });
    }
    return this.round;
  }

  private async check(entry: Entry): Promise<void> {
    const probe = entry.definition.probe;
    if (!probe) return;
    let result: ProbeResult;
    try {
      result = await probe({ signal: this.stopController.signal, timeoutMs: this.options.timeoutMs });
    } catch (error) {
      // Probes do not throw by contract; a bug in one must not take the others down.
      result = { state: 'error', detail: `the check itself failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (this.stopped) return;
    entry.result = result;
    entry.checkedAt = this.now();
    entry.pending = false;
    this.publish(entry);
  }

  /**
   * Evidence from a real call on the request path: `'ok'` clears an earlier failure; a failure
   * overrides the check's result for one TTL (then the next real call tries again). Unknown names
   * are ignored, so callers need not know which dependencies are registered.
   */
  observe(name: string, outcome: ProbeResult | 'ok'): void {
    const entry = this.entries.get(name);
    if (!entry || this.stopped) return;
    if (outcome === 'ok') {
      if (!entry.observed) return;
      delete entry.observed;
    } else {
      entry.observed = { result: outcome, at: this.now() };
    }
    this.publish(entry);
  }

  /** The current view of one dependency, or undefined when it is not registered. */
  view(name: string): DependencyView | undefined {
    const entry = this.entries.get(name);
    return entry ? this.toView(entry) : undefined;
  }

  views(): DependencyView[] {
    return [...this.entries.values()].map((entry) => this.toView(entry));
  }

  /** Facts found by the checks (the account id from STS, the settings secret's ARN). */
  facts(): Record<string, string> {
    return Object.assign({}, ...[...this.entries.values()].map((entry) => entry.result.facts ?? {})) as Record<string, string>;
  }

  statuses(): DependencyStatus[] {
    return this.views().map(toStatus);
  }

  private toView(entry: Entry): DependencyView {
    const observed = entry.observed;
    if (observed && this.now() - observed.at >= this.options.ttlMs) {
      delete entry.observed;
      this.publish(entry);
    }
    const current = entry.observed;
    const base = { name: entry.definition.name, required: entry.definition.required };
    if (current) return { ...current.result, ...base, checkedAt: new Date(current.at), pending: false, source: 'observed' };
    return {
      ...entry.result,
      ...base,
      checkedAt: new Date(entry.checkedAt),
      pending: entry.pending,
      source: entry.definition.probe ? 'check' : 'fixed',
    };
  }

  /** One log line per change of state (or of the refused permission), never one per check. */
  private publish(entry: Entry): void {
    const view = entry.observed
      ? { ...entry.observed.result, source: 'observed' }
      : { ...entry.result, source: entry.definition.probe ? 'check' : 'fixed' };
    if (entry.pending && !entry.observed) return;
    const key = `${view.state}|${view.missingPermission ?? ''}|${view.blocking ? 'blocking' : ''}`;
    if (entry.logged === key) return;
    const previous = entry.logged?.split('|')[0];
    entry.logged = key;
    const logger = this.options.logger;
    if (!logger) return;
    const fields = {
      dependency: entry.definition.name,
      state: view.state,
      ...(previous ? { previousState: previous } : {}),
      detail: view.detail,
      ...(view.missingPermission ? { missingPermission: view.missingPermission } : {}),
      ...(view.latencyMs === undefined ? {} : { latencyMs: view.latencyMs }),
      required: entry.definition.required,
      source: view.source,
    };
    const level = levelFor(view.state, entry.definition.required);
    logger[level](fields, 'dependency state changed');
  }

  /** Stops the timer and aborts the checks in flight; their results are dropped. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.timer?.cancel();
    this.stopController.abort();
    await this.round;
  }
}

function levelFor(state: DependencyState, required: boolean): 'info' | 'warn' | 'error' {
  if (state === 'ok' || state === 'unconfigured') return 'info';
  if (state === 'degraded') return 'warn';
  return required ? 'error' : 'warn';
}

export function toStatus(view: DependencyView): DependencyStatus {
  return {
    name: view.name,
    state: view.state,
    detail: view.detail,
    ...(view.missingPermission ? { missingPermission: view.missingPermission } : {}),
    ...(view.latencyMs === undefined ? {} : { latencyMs: view.latencyMs }),
    checkedAt: view.checkedAt.toISOString(),
    ...(view.fix && view.state !== 'ok' ? { fix: view.fix } : {}),
    ...(view.missingPermissions ? { missingPermissions: view.missingPermissions } : {}),
    ...(view.checks ? { checks: view.checks } : {}),
    ...(view.required ? { required: true } : {}),
    ...(view.pending ? { pending: true } : {}),
  };
}
