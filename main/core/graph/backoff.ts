/** Exponential backoff with full jitter (AWS architecture blog): spreads retries so they never sync up. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Injectable for tests; defaults to Math.random. */
  random?: () => number;
}

export function backoffDelay(attempt: number, opts: BackoffOptions): number {
  const ceiling = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, attempt));
  const r = (opts.random ?? Math.random)();
  // Half fixed, half random: never retries instantly, still de-synchronised.
  return Math.round(ceiling / 2 + (r * ceiling) / 2);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
