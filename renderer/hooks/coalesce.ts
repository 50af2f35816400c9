/**
 * Runs `fn` for a burst of calls at once when it has not run for `minGapMs`, then at most once per
 * `minGapMs` while the burst lasts (the last call always gets a run after it). A debounce would
 * wait for a quiet moment that a steady 10 leads/s, or a backfill's progress, never leaves.
 */
export function coalesce(fn: () => void, minGapMs: number) {
  let timer: number | undefined;
  let lastRun = -Infinity;
  const fire = () => {
    timer = undefined;
    lastRun = performance.now();
    fn();
  };
  const schedule = () => {
    if (timer !== undefined) return;
    timer = window.setTimeout(fire, Math.max(0, lastRun + minGapMs - performance.now()));
  };
  schedule.cancel = () => {
    window.clearTimeout(timer);
    timer = undefined;
  };
  return schedule;
}
