/**
 * Runs `fn` once after a burst of calls has been quiet for `wait` ms, but at least every `maxWait`
 * ms while the burst lasts: a backfill sends progress for minutes, and the screen should follow it
 * instead of waiting for the end.
 */
export function coalesce(fn: () => void, wait: number, maxWait: number) {
  let timer: number | undefined;
  let burstStart: number | null = null;
  const fire = () => {
    timer = undefined;
    burstStart = null;
    fn();
  };
  const schedule = () => {
    const now = Date.now();
    burstStart ??= now;
    window.clearTimeout(timer);
    timer = window.setTimeout(fire, Math.max(0, Math.min(wait, burstStart + maxWait - now)));
  };
  schedule.cancel = () => {
    window.clearTimeout(timer);
    timer = undefined;
    burstStart = null;
  };
  return schedule;
}
