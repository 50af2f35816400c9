import type { BindingIndex } from './bindings';
import type { CommitBatch, CommitResult, CommitWorker } from './commitWorker';
import type { RelayDb } from './db';
import type { InstallRegistry } from './installs';
import type { IncomingEvent } from './routing';

/**
 * Batches sent to the worker and not yet answered. While one commit is being fsynced, the batches
 * that arrive behind it (at most one per event-loop turn) wait in the worker, which commits all of
 * them together next (one fsync); past this many the requests wait here and go as one batch.
 */
const MAX_BATCHES_IN_FLIGHT = 4;

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
 * The durable event log with group commit: every webhook POST enqueues its events and waits.
 * Whenever no commit is running, everything queued so far goes to the commit worker as ONE
 * transaction (one fsync), fanned out to the installs bound to each event; while it is being made
 * durable, new POSTs queue up for the next one. Each caller answers 200 only after its own events
 * are on disk.
 *
 * Every batch, even a lone request on an idle log, commits on the worker: the event loop never
 * waits for an fsync, which on a busy disk took up to 190 ms at once and stalled every stream,
 * ack and health check meanwhile (the two thread hops cost ~0.1 ms).
 */
export class EventLog {
  private queue: Pending[] = [];
  /** Batches sent to the worker and not yet answered (it commits them strictly in order). */
  private inFlight = 0;
  /** Seqs assigned to batches in flight: the next batch numbers on top of them. */
  private readonly plannedHeads = new Map<string, number>();
  private idle: (() => void)[] = [];
  private flushScheduled = false;
  private readonly scheduledFlush = () => {
    this.flushScheduled = false;
    this.flush();
  };
  /** A batch failed: its seqs may or may not be on disk, so re-read the heads before going on. */
  private needsResync = false;
  private readonly readAfter;

  constructor(
    db: RelayDb,
    private readonly worker: CommitWorker,
    private readonly installs: InstallRegistry,
    private readonly bindings: BindingIndex,
    private readonly onCommit: (report: CommitReport) => void,
  ) {
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
      // Let the requests already readable in this loop turn join the batch (one callback per turn).
      if (this.inFlight < MAX_BATCHES_IN_FLIGHT && !this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(this.scheduledFlush);
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

  /** Resolves when every queued commit has finished (graceful shutdown). */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idle.push(r));
  }

  private flush(): void {
    if (this.inFlight >= MAX_BATCHES_IN_FLIGHT || this.queue.length === 0) return;
    if (this.needsResync) {
      if (this.inFlight > 0) return; // next() calls again once the pipeline is empty
      this.installs.reloadHeads();
      this.plannedHeads.clear();
      this.needsResync = false;
    }
    this.inFlight++;
    const batch = this.queue;
    this.queue = [];
    const { message, report } = this.plan(batch);
    this.worker.commit(message).then(
      (result) => this.committed(batch, report, result.unbound),
      (e: unknown) => this.failed(batch, e),
    );
  }

  private committed(batch: Pending[], report: CommitReport, unbound: CommitResult['unbound']): void {
    for (const [id, seq] of report.heads) {
      this.installs.setHead(id, seq);
      if (this.plannedHeads.get(id) === seq) this.plannedHeads.delete(id);
    }
    this.bindings.forget(unbound);
    report.unbound = unbound.length;
    for (const p of batch) p.resolve();
    this.onCommit(report);
    this.next();
  }

  /**
   * The worker may have died after committing, so what is on disk is unknown: the callers get 503
   * (Meta retries; a duplicate is deduped downstream) and the heads are re-read from disk before
   * the next batch. A later batch already planned on top may leave a hole in an install's seqs,
   * which is harmless (reads are "seq > cursor").
   */
  private failed(batch: Pending[], e: unknown): void {
    this.needsResync = true;
    for (const p of batch) p.reject(e);
    this.next();
  }

  private next(): void {
    this.inFlight--;
    if (this.queue.length > 0) this.flush();
    else if (this.inFlight === 0) for (const r of this.idle.splice(0)) r();
  }

  /** Assigns each install's next seqs (applied to memory only after the commit succeeds). */
  private plan(batch: Pending[]): { message: CommitBatch; report: CommitReport } {
    const heads = new Map<string, number>();
    const events: CommitBatch['events'] = [];
    let deliveries = 0;
    for (const p of batch) {
      for (const ev of p.events) {
        const targetIds =
          ev.kind === 'permissions' ? this.bindings.installsForUser(ev.assetId) : this.bindings.installsFor(ev.kind, ev.routeIds);
        const targets: [string, number][] = [];
        for (const installId of targetIds) {
          const seq = (heads.get(installId) ?? this.plannedHeads.get(installId) ?? this.installs.head(installId)) + 1;
          heads.set(installId, seq);
          this.plannedHeads.set(installId, seq);
          targets.push([installId, seq]);
        }
        deliveries += targets.length;
        events.push({
          receivedAt: p.receivedAt,
          object: ev.object,
          kind: ev.kind,
          assetId: ev.assetId,
          raw: ev.raw,
          targets,
          // Deliver the revocation itself first (the desktop shows "reconnect"), then stop delivery.
          unbindUser: ev.revoked && ev.assetId ? ev.assetId : null,
        });
      }
    }
    const stored = events.length;
    return { message: { events, heads: [...heads] }, report: { heads, stored, deliveries, unbound: 0 } };
  }
}
