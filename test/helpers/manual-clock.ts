import type { Clock, Timer } from '../../src/time/clock.js';

interface Scheduled {
  at: number;
  fn: () => void;
  repeatMs: number | null;
  cancelled: boolean;
}

/**
 * A clock that moves only when the test says so: `advance(ms)` runs every timer that falls due, in
 * order (timers scheduled while advancing run too when they fall inside the step). Starts at the
 * real time so data stamped with Date.now() sits where it would.
 */
export class ManualClock implements Clock {
  private current: number;
  private readonly scheduled: Scheduled[] = [];

  constructor(start = Date.now()) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  after(ms: number, fn: () => void): Timer {
    return this.schedule(ms, fn, null);
  }

  every(ms: number, fn: () => void): Timer {
    return this.schedule(ms, fn, ms);
  }

  /** Timers waiting to fire. */
  get pending(): number {
    return this.scheduled.filter((s) => !s.cancelled).length;
  }

  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.scheduled.filter((s) => !s.cancelled && s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.current = Math.max(this.current, due.at);
      if (due.repeatMs === null) due.cancelled = true;
      else due.at += due.repeatMs;
      due.fn();
    }
    this.current = end;
    for (let i = this.scheduled.length - 1; i >= 0; i--) if (this.scheduled[i]?.cancelled) this.scheduled.splice(i, 1);
  }

  private schedule(ms: number, fn: () => void, repeatMs: number | null): Timer {
    const entry: Scheduled = { at: this.current + Math.max(0, ms), fn, repeatMs, cancelled: false };
    this.scheduled.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }
}
