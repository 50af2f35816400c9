/** Token bucket per client IP: `ratePerSec` sustained, `burst` at once. */
export interface RateLimit {
  ratePerSec: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for this IP; false means refuse (429). */
  take(ip: string, now: number): boolean {
    const b = this.buckets.get(ip) ?? { tokens: this.limit.burst, at: now };
    b.tokens = Math.min(this.limit.burst, b.tokens + ((now - b.at) / 1000) * this.limit.ratePerSec);
    b.at = now;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(ip, b);
    return ok;
  }

  /** Forgets full buckets so the map stays as small as the set of busy clients. */
  prune(now: number): void {
    for (const [ip, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * this.limit.ratePerSec >= this.limit.burst) this.buckets.delete(ip);
    }
  }
}
