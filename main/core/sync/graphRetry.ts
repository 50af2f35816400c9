import { backoffDelay, sleep, type BackoffOptions } from '../graph/backoff';
import { GraphError } from '../graph/errors';
import type { RateGate } from '../graph/rateGate';

/**
 * Runs one Graph call for a sync, waiting out throttles (the shared RateGate, from usage headers)
 * and retrying transient failures with jittered backoff. Token and permission errors are thrown at
 * once: retrying a broken token only burns quota.
 */
export async function withGraphRetry<T>(
  fn: () => Promise<T>,
  opts: { gate: RateGate; backoff: BackoffOptions; maxAttempts: number; signal?: AbortSignal },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await opts.gate.wait(opts.signal);
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof GraphError) || attempt >= opts.maxAttempts) throw e;
      if (e.action === 'rate_limit') opts.gate.throttle(e.retryAfterMs);
      else if (e.action === 'retry') await sleep(backoffDelay(attempt, opts.backoff), opts.signal);
      else throw e;
    }
  }
}
