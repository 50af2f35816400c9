import type { RelayDb } from './db';
import type { BindingIndex } from './bindings';
import type { InstallRegistry } from './installs';
import type { IncomingEvent } from './routing';

export interface StoredDelivery {
  seq: number;
  receivedAt: number;
  object: string;
  kind: string;
  assetId: string;
  raw: string;
}

interface Pending {
  events: IncomingEvent[];
  receivedAt: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

export interface CommitReport {
  /** installId → new head seq, for installs that got new deliveries. */
  heads: Map<string, number>;
  stored: number;
  deliveries: number;
  /** Bindings dropped by permission revocations in this batch. */
  unbound: number;
}

/**
 * The durable event log with group commit: every webhook POST enqueues its events and waits;
 * one setImmediate later a single transaction (one fsync) stores everything queued meanwhile and
 * fans each event out to the installs bound to it. Concurrent POSTs thus share an fsync, and
 * each caller answers 200 only after its own events are on disk.
 */
export class EventLog {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly insertEvent;
  private readonly insertDelivery;
  private readonly updateHead;
  private readonly readAfter;

  constructor(
    private readonly db: RelayDb,
    private readonly installs: InstallRegistry,
    private readonly bindings: BindingIndex,
    private readonly onCommit: (report: CommitReport) => void,
  ) {
    this.insertEvent = db.prepare(
      'INSERT INTO events (received_at, object, kind, asset_id, raw) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertDelivery = db.prepare('INSERT INTO deliveries (install_id, seq, event_id) VALUES (?, ?, ?)');
    this.updateHead = db.prepare('UPDATE installs SET head_seq = ? WHERE id = ?');
    this.readAfter = db.prepare(
      `SELECT d.seq, e.received_at AS receivedAt, e.object, e.kind, e.asset_id AS assetId, e.raw
         FROM deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.install_id = ? AND d.seq > ? ORDER BY d.seq LIMIT ?`,
    );
  }

  /** Resolves once these events are committed (fsynced). */
  append(events: IncomingEvent[], receivedAt: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ events, receivedAt, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Requests waiting for the next group commit. */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Deliveries for an install after `afterSeq`, oldest first. */
  read(installId: string, afterSeq: number, limit: number): StoredDelivery[] {
    return this.readAfter.all(installId, afterSeq, limit) as StoredDelivery[];
  }

  /** Finishes every queued commit (graceful shutdown). */
  drain(): void {
    while (this.queue.length > 0) this.flush();
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    let report: CommitReport;
    try {
      report = this.db.transaction(() => this.store(batch))();
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    for (const [id, seq] of report.heads) this.installs.setHead(id, seq);
    for (const p of batch) p.resolve();
    this.onCommit(report);
  }

  private store(batch: Pending[]): CommitReport {
    const heads = new Map<string, number>();
    let stored = 0;
    let deliveries = 0;
    let unbound = 0;
    for (const p of batch) {
      for (const ev of p.events) {
        const eventId = Number(this.insertEvent.run(p.receivedAt, ev.object, ev.kind, ev.assetId, ev.raw).lastInsertRowid);
        stored++;
        const targets =
          ev.kind === 'permissions'
            ? this.bindings.installsForUser(ev.assetId)
            : this.bindings.installsFor(ev.kind, ev.routeIds);
        for (const installId of targets) {
          const seq = (heads.get(installId) ?? this.installs.head(installId)) + 1;
          this.insertDelivery.run(installId, seq, eventId);
          heads.set(installId, seq);
          deliveries++;
        }
        // Deliver the revocation itself first (the desktop shows "reconnect"), then stop delivery.
        if (ev.revoked && ev.assetId) unbound += this.bindings.unbindUser(ev.assetId);
      }
    }
    for (const [id, seq] of heads) this.updateHead.run(seq, id);
    return { heads, stored, deliveries, unbound };
  }
}
