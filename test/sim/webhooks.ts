import { createHmac } from 'node:crypto';
import { metaJson } from './json';

/**
 * Outgoing webhooks, delivered like Meta does (meta-platform.md §2.3–2.4): JSON with non-ASCII
 * escaped, signed over those exact bytes with X-Hub-Signature-256 (and the legacy sha1 header),
 * retried at once and then with growing delays on anything but 200. Tests can hold entries to
 * batch them into one delivery, and drop or duplicate the next deliveries.
 */
export interface DeliveryAttempt {
  at: number;
  status: number | null;
  error?: string;
}

export interface DeliveryRecord {
  id: number;
  object: string;
  body: string;
  entries: number;
  signature256: string;
  /** delivered = got a 200; failed = gave up; dropped = told to never send; skipped = no URL. */
  state: 'pending' | 'delivered' | 'failed' | 'dropped' | 'skipped';
  duplicate: boolean;
  attempts: DeliveryAttempt[];
}

export interface WebhookOptions {
  url: string | null;
  appSecret: string;
  /** Delay before the third attempt; doubles after (Meta: "less often" for 36 h). Default 1000. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  /** > 0: entries sent within this window go out together, as Meta batches under load. */
  batchWindowMs?: number;
  now?: () => number;
}

export function sign(appSecret: string, body: string): { sha256: string; sha1: string } {
  return {
    sha256: 'sha256=' + createHmac('sha256', appSecret).update(body, 'utf8').digest('hex'),
    sha1: 'sha1=' + createHmac('sha1', appSecret).update(body, 'utf8').digest('hex'),
  };
}

export class WebhookSender {
  readonly records: DeliveryRecord[] = [];
  private held: { object: string; entry: unknown }[] | null = null;
  private dropCount = 0;
  private duplicateCount = 0;
  private nextId = 1;
  private readonly inflight = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private opts: WebhookOptions) {}

  get url(): string | null {
    return this.opts.url;
  }

  setUrl(url: string | null): void {
    this.opts = { ...this.opts, url };
  }

  configure(
    patch: Partial<
      Pick<
        WebhookOptions,
        'retryBaseMs' | 'retryMaxMs' | 'maxAttempts' | 'timeoutMs' | 'batchWindowMs'
      >
    >,
  ): void {
    this.opts = { ...this.opts, ...patch };
  }

  /** Queue one `entry` of `object`; sent at once unless held for batching. */
  send(object: string, entry: unknown): void {
    const windowMs = this.opts.batchWindowMs ?? 0;
    if (!this.held && windowMs > 0) {
      this.hold();
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.flush();
      }, windowMs);
      this.timers.add(t);
    }
    if (this.held) this.held.push({ object, entry });
    else this.deliver(object, [entry]);
  }

  /** Collect entries until flush(); then one delivery per object carries them all. */
  hold(): void {
    this.held ??= [];
  }

  flush(): DeliveryRecord[] {
    const held = this.held ?? [];
    this.held = null;
    const byObject = new Map<string, unknown[]>();
    for (const h of held) byObject.set(h.object, [...(byObject.get(h.object) ?? []), h.entry]);
    return [...byObject].map(([object, entries]) => this.deliver(object, entries));
  }

  dropNext(n: number): void {
    this.dropCount += n;
  }

  duplicateNext(n: number): void {
    this.duplicateCount += n;
  }

  /**
   * Meta's Deauthorize Callback: a form POST of `signed_request = b64url(sig).b64url(payload)`,
   * sig = HMAC-SHA256(app secret, payload_b64) (meta-platform.md §2.5). Not retried.
   */
  deauthorize(url: string, userId: string, issuedAt: number): void {
    const payload = Buffer.from(
      JSON.stringify({ algorithm: 'HMAC-SHA256', issued_at: issuedAt, user_id: userId }),
    ).toString('base64url');
    const sig = createHmac('sha256', this.opts.appSecret).update(payload).digest('base64url');
    const body = new URLSearchParams({ signed_request: `${sig}.${payload}` }).toString();
    const rec: DeliveryRecord = {
      id: this.nextId++,
      object: 'deauthorize',
      body,
      entries: 1,
      signature256: '',
      state: 'pending',
      duplicate: false,
      attempts: [],
    };
    this.records.push(rec);
    this.track(
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 20_000),
      })
        .then(async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          rec.attempts.push({ at: this.opts.now?.() ?? Date.now(), status: res.status });
          rec.state = res.status === 200 ? 'delivered' : 'failed';
        })
        .catch((e: unknown) => {
          rec.attempts.push({
            at: this.opts.now?.() ?? Date.now(),
            status: null,
            error: e instanceof Error ? e.message : String(e),
          });
          rec.state = 'failed';
        }),
    );
  }

  /** Resolves when every started delivery has finished (delivered or given up). */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  private deliver(object: string, entries: unknown[]): DeliveryRecord {
    const body = metaJson({ object, entry: entries });
    const sig = sign(this.opts.appSecret, body);
    const rec: DeliveryRecord = {
      id: this.nextId++,
      object,
      body,
      entries: entries.length,
      signature256: sig.sha256,
      state: 'pending',
      duplicate: false,
      attempts: [],
    };
    this.records.push(rec);
    if (!this.opts.url) {
      rec.state = 'skipped';
      return rec;
    }
    if (this.dropCount > 0) {
      this.dropCount--;
      rec.state = 'dropped';
      return rec;
    }
    const duplicate = this.duplicateCount > 0;
    if (duplicate) this.duplicateCount--;
    this.track(
      this.attemptLoop(rec, sig).then(async () => {
        if (!duplicate || this.closed) return;
        const copy: DeliveryRecord = {
          ...rec,
          id: this.nextId++,
          state: 'pending',
          duplicate: true,
          attempts: [],
        };
        this.records.push(copy);
        await this.attemptLoop(copy, sig);
      }),
    );
    return rec;
  }

  private track(p: Promise<void>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  private async attemptLoop(
    rec: DeliveryRecord,
    sig: { sha256: string; sha1: string },
  ): Promise<void> {
    const max = this.opts.maxAttempts ?? 10;
    for (let attempt = 1; attempt <= max && !this.closed; attempt++) {
      const url = this.opts.url;
      if (!url) break;
      const result = await this.post(url, rec.body, sig);
      rec.attempts.push({ at: this.opts.now?.() ?? Date.now(), ...result });
      if (result.status === 200) {
        rec.state = 'delivered';
        return;
      }
      if (attempt < max) await this.sleep(this.backoff(attempt));
    }
    if (rec.state === 'pending') rec.state = 'failed';
  }

  /** Meta retries "immediately, then with decreasing frequency": 0, base, 2·base, 4·base… */
  private backoff(attempt: number): number {
    if (attempt === 1) return 0;
    const base = this.opts.retryBaseMs ?? 1000;
    return Math.min(this.opts.retryMaxMs ?? 60 * 60_000, base * 2 ** (attempt - 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async post(
    url: string,
    body: string,
    sig: { sha256: string; sha1: string },
  ): Promise<{ status: number | null; error?: string }> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'facebookexternalua',
          'x-hub-signature': sig.sha1,
          'x-hub-signature-256': sig.sha256,
        },
        body,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 20_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return { status: res.status };
    } catch (e) {
      return { status: null, error: e instanceof Error ? e.message : String(e) };
    }
  }
}
