/**
 * The one source of time for everything timed (caches, probes, budgets, rate windows, reloads).
 * Production uses the system clock; tests inject a manual one and advance it instead of sleeping.
 */
export interface Timer {
  /** Stops the timer; calling it again is harmless. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once after `ms`. The timer never keeps the process alive. */
  after(ms: number, fn: () => void): Timer;
  /** Runs `fn` every `ms` until cancelled. The timer never keeps the process alive. */
  every(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const handle = setTimeout(fn, ms);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
  every(ms, fn) {
    const handle = setInterval(fn, ms);
    handle.unref();
    return { cancel: () => clearInterval(handle) };
  },
};
