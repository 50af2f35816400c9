import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { RelayDb } from './db';

/** One group commit, as sent to the worker: events with their per-install seqs already assigned. */
export interface CommitBatch {
  events: {
    receivedAt: number;
    object: string;
    kind: string;
    assetId: string;
    raw: string;
    /** [installId, seq] pairs this event is delivered under. */
    targets: [string, number][];
    /** A revocation: drop the bindings proved by this user after storing the event. */
    unbindUser: string | null;
  }[];
  heads: [string, number][];
}

export interface CommitResult {
  unbound: { install_id: string; kind: string; asset_id: string }[];
}

/**
 * The worker's code: plain CommonJS evaluated in a worker thread (no module file, so it runs the
 * same under tsx, vitest and the esbuild bundle); the transaction itself is commitProgram.cjs.
 *
 * Group commit across batches: every batch that arrived while the previous commit was being
 * fsynced is committed in ONE outer transaction (one fsync), each batch in its own savepoint so a
 * failing batch fails alone. Answers go out one per batch, in order.
 */
const source = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.sqlitePath);
const db = new Database(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const commit = require(workerData.programPath)(db);
const commitAll = db.transaction((batches) =>
  batches.map((batch) => {
    try {
      return { ok: true, unbound: commit(batch) };
    } catch (e) {
      return { ok: false, error: String((e && e.message) || e) };
    }
  }),
);
parentPort.on('message', (first) => {
  const batches = [];
  let closing = false;
  for (let msg = first; msg !== undefined; msg = receiveMessageOnPort(parentPort)?.message) {
    if (msg === 'close') {
      closing = true;
      break;
    }
    batches.push(msg);
  }
  if (batches.length > 0) {
    let answers;
    try {
      answers = commitAll(batches);
    } catch (e) {
      const failed = { ok: false, error: String((e && e.message) || e) };
      answers = batches.map(() => failed);
    }
    for (const answer of answers) parentPort.postMessage(answer);
  }
  if (closing) {
    db.close();
    parentPort.close();
  }
});
`;

const localRequire = createRequire(import.meta.url);
/** Resolved next to this module, or next to the bundle (relay/bundle.ts copies it there). */
export const commitProgramPath = localRequire.resolve('./commitProgram.cjs');

/** The same transaction on a caller's own connection (tests and benchmarks; the relay commits on the worker). */
export function makeCommit(db: RelayDb): (batch: CommitBatch) => CommitResult['unbound'] {
  return (localRequire(commitProgramPath) as (db: RelayDb) => (batch: CommitBatch) => CommitResult['unbound'])(db);
}

/**
 * Runs the ingest transactions on a worker thread with its own connection (WAL, synchronous=FULL):
 * the fsync no longer blocks the event loop, so HTTP parsing, signature checks and streaming go on
 * while a batch is being made durable, and the next batch collects everything that arrived meanwhile.
 * Batches commit strictly in the order sent; seqs are assigned before sending and applied to memory
 * only after success.
 */
export class CommitWorker {
  private worker: Worker;
  /** Answers arrive in the order batches were sent. */
  private readonly pending: { resolve(r: CommitResult): void; reject(e: Error): void }[] = [];
  private closing = false;
  private readonly sqlitePath = localRequire.resolve('better-sqlite3');

  constructor(
    private readonly file: string,
    private readonly onCrash: (error: string) => void = () => {},
  ) {
    this.worker = this.spawn();
  }

  commit(batch: CommitBatch): Promise<CommitResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(batch);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    const exited = new Promise<void>((r) => this.worker.once('exit', () => r()));
    this.worker.postMessage('close');
    await exited;
  }

  /**
   * A worker that dies (out of memory, a native fault) fails the batches it held — their POSTs get
   * 503 and Meta retries them — and is replaced, so later webhooks are stored again.
   */
  private spawn(): Worker {
    const worker = new Worker(source, { eval: true, workerData: { file: this.file, sqlitePath: this.sqlitePath, programPath: commitProgramPath } });
    worker.on('message', (msg: { ok: boolean; unbound?: CommitResult['unbound']; error?: string }) => {
      const p = this.pending.shift();
      if (msg.ok) p?.resolve({ unbound: msg.unbound ?? [] });
      else p?.reject(new Error(msg.error ?? 'commit failed'));
    });
    worker.on('error', (e) => this.fail(e.message));
    worker.on('exit', (code) => {
      if (this.closing) return;
      this.fail(`commit worker exited with ${code}`);
      this.worker = this.spawn();
    });
    return worker;
  }

  private fail(error: string): void {
    this.onCrash(error);
    for (const p of this.pending.splice(0)) p.reject(new Error(error));
  }
}
