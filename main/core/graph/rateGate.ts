import type { Clock } from '../ports';
import { sleep } from './backoff';
import type { Usage } from './usage';

export interface RateGateOptions {
  clock: Clock;
  /** A pause Meta asks for is capped here (its estimate is in minutes; tests use milliseconds). */
  maxPauseMs: number;
  /** Pause used when Meta throttles without saying for how long. */
  defaultPauseMs: number;
  /** Above this usage percentage every call waits `slowDownMs` first (meta-platform.md §6: ≥ 80%). */
  slowDownAtPercent?: number;
  slowDownMs?: number;
}

/**
 * One shared brake for every Graph caller (lead fetch worker, sync): usage headers slow calls
 * down before Meta throttles; a throttle pauses everyone until Meta's estimate has passed.
 */
export class RateGate {
  private pausedUntil = 0;
  private lastUsage: number | null = null;
  /** Every pause taken, newest last (status + tests read it). */
  readonly pauses: { at: number; ms: number }[] = [];

  constructor(private readonly opts: RateGateOptions) {}

  onUsage = (usage: Usage): void => {
    this.lastUsage = usage.maxPercent;
  };

  /** A throttle error arrived: pause all callers. */
  throttle(retryAfterMs: number | null): number {
    const ms = Math.min(this.opts.maxPauseMs, retryAfterMs ?? this.opts.defaultPauseMs);
    const now = this.opts.clock.now();
    this.pausedUntil = Math.max(this.pausedUntil, now + ms);
    this.pauses.push({ at: now, ms });
    if (this.pauses.length > 50) this.pauses.shift();
    return ms;
  }

  get resumesAt(): number | null {
    return this.pausedUntil > this.opts.clock.now() ? this.pausedUntil : null;
  }

  async wait(signal?: AbortSignal): Promise<void> {
    const left = this.pausedUntil - this.opts.clock.now();
    if (left > 0) await sleep(left, signal);
    if ((this.lastUsage ?? 0) >= (this.opts.slowDownAtPercent ?? 80))
      await sleep(this.opts.slowDownMs ?? 1000, signal);
  }
}
