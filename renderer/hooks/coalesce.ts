export interface CoalesceOptions {
  /** Least time between the end of one run and the start of the next. */
  minGapMs: number;
  /**
   * The gap grows to this many times the last run's duration (0 = fixed gap). A run that takes
   * 5 ms on a small store is repeated within `minGapMs`; one whose query takes 400 ms on a filtered
   * million-row store waits 4 × 400 ms, so live refreshes never take over the core's one thread.
   */
  busyFactor?: number;
}

export interface Coalesced {
  (): void;
  cancel(): void;
}

/**
 * Throttles `fn` for a stream of calls: the first call of a burst runs at once if the gap since the
 * last run has passed, later calls share one run per gap, and the last call always gets a run after
 * it. Never two runs at once: a call during a run (`fn` may return a promise) waits for it to end.
 * A debounce would wait for a quiet moment that a steady 10 leads/s, or a backfill, never leaves.
 */
export function coalesce(fn: () => void | Promise<unknown>, opts: CoalesceOptions | number): Coalesced {
  const { minGapMs, busyFactor = 0 } = typeof opts === 'number' ? { minGapMs: opts } : opts;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let cancelled = false;
  let lastEnd = -Infinity;
  let gap = minGapMs;

  const fire = () => {
    timer = undefined;
    running = true;
    const started = performance.now();
    let result: void | Promise<unknown>;
    try {
      result = fn();
    } catch (e) {
      result = Promise.reject(e);
    }
    const finished = () => {
      running = false;
      lastEnd = performance.now();
      gap = Math.max(minGapMs, busyFactor * (lastEnd - started));
      if (again && !cancelled) {
        again = false;
        schedule();
      }
    };
    // A failed run (the caller shows its error) must not stop later runs.
    Promise.resolve(result).then(finished, finished);
  };

  const schedule = (() => {
    if (cancelled) return;
    if (running) {
      again = true;
      return;
    }
    if (timer !== undefined) return;
    timer = setTimeout(fire, Math.max(0, lastEnd + gap - performance.now()));
  }) as Coalesced;
  schedule.cancel = () => {
    cancelled = true;
    clearTimeout(timer);
    timer = undefined;
  };
  return schedule;
}
