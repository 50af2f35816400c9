import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../ports';
import { defaultTuning } from '../tuning';
import { connectionPragmas, coreWritesSignal, type Db } from './db';
import {
  leadGroupProgram,
  leadGroupProgramPath,
  leadGroupSql,
  type LeadRowValues,
  type LeadUpsertOutcome,
} from './leadGroupProgram';

/**
 * Writes a backfill's lead groups on a worker thread with its own connection to the store.
 *
 * Why: a backfill is CPU-bound on the core's one thread, and SQLite is most of it (about 40 µs per
 * lead: the row, its indexes, its search terms, the commit). On the worker, that work runs beside
 * the core thread's share (receiving and parsing Meta's pages, normalising leads), and the core
 * thread stays free for the owner's clicks during a first connect: reads never wait for the
 * writer, and the core's own writes (a live lead, a status change) wait for its current group at
 * most (see the worker's code).
 *
 * Groups commit strictly in the order written; each resolves with its rows' outcomes once durable.
 * The core's own transactions take the write lock first (store/db.ts), so the two connections
 * simply take turns. If the worker cannot start (an environment without worker threads for native
 * modules), groups are written on the core thread by the same program, as before the writer
 * existed. A worker that dies fails the groups it held (the backfill keeps its cursor and reads the
 * range again next time) and is replaced on the next write.
 */
export interface LeadGroupWriter {
  /**
   * Starts the worker now, if it is not running: a first backfill calls this before its first
   * page arrives, so the thread is ready (about 75 ms: loading SQLite, opening the store) when the
   * first group is. An idle warm worker does not keep the app alive.
   */
  warm(): void;
  write(rows: LeadRowValues[]): Promise<LeadUpsertOutcome[]>;
  /** Waits for the groups already written, then stops the worker. */
  close(): Promise<void>;
}

/**
 * The worker's code: CommonJS evaluated as a string, so it runs the same under tsx, vitest and the
 * bundle. Group commit: every group that queued up while the previous commit was being written is
 * committed with it in one transaction (up to maxLeads), so when SQLite is the bottleneck the
 * transactions grow and cost less per lead, and when it keeps up each group commits as it comes.
 * One answer per group, in order, as soon as its transaction commits.
 *
 * The core's writes come first: between groups the writer reads how many of the core's
 * transactions want the write lock (store/db.ts, coreWritesSignal) and, if any, commits what it
 * has and waits for them (up to coreFirstMs) before it goes on. A live lead's commit then waits
 * for one group at most, not for a whole transaction, so transactions can be large.
 */
const source = `
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
let db;
let program;
try {
  const Database = require(workerData.sqlitePath);
  db = new Database(workerData.file);
  for (const p of workerData.pragmas) db.pragma(p);
  program = require(workerData.programPath)(db, workerData.sql);
  parentPort.postMessage({ ready: true });
} catch (e) {
  parentPort.postMessage({ ready: false, error: String((e && e.message) || e) });
  parentPort.close();
}
const coreWrites = workerData.coreWrites;
const coreWaiting = () => Atomics.load(coreWrites, 0) > 0;
const letCoreWritesIn = () => {
  const until = Date.now() + workerData.coreFirstMs;
  for (let n; (n = Atomics.load(coreWrites, 0)) > 0 && Date.now() < until; )
    Atomics.wait(coreWrites, 0, n, until - Date.now());
};
if (program) {
  parentPort.on('message', (first) => {
    // First let in the core's writes, then take every group that queued up meanwhile.
    letCoreWritesIn();
    const groups = [];
    let leads = 0;
    let closing = false;
    for (let msg = first; msg !== undefined; ) {
      if (msg === 'close') {
        closing = true;
        break;
      }
      groups.push(msg);
      leads += msg.length;
      if (leads >= workerData.maxLeads) break;
      msg = receiveMessageOnPort(parentPort)?.message;
    }
    for (let done = 0; done < groups.length; ) {
      if (done > 0) letCoreWritesIn();
      try {
        for (const outcomes of program.writeGroups(groups.slice(done), coreWaiting)) {
          parentPort.postMessage({ ok: true, outcomes });
          done++;
        }
      } catch (e) {
        const failed = { ok: false, error: String((e && e.message) || e) };
        for (; done < groups.length; done++) parentPort.postMessage(failed);
      }
    }
    if (closing) {
      db.close();
      parentPort.close();
    }
  });
}
`;

type Answer =
  | { ready: true }
  | { ready: false; error: string }
  | { ok: true; outcomes: LeadUpsertOutcome[] }
  | { ok: false; error: string };

interface Pending {
  /** Until handed to the worker (or written here): not kept while it commits, see post(). */
  rows: LeadRowValues[] | null;
  resolve(outcomes: LeadUpsertOutcome[]): void;
  reject(error: Error): void;
}

export function createLeadGroupWriter(
  db: Db,
  log: Logger,
  opts: { sqlitePath?: string; maxLeads?: number; thread?: boolean } = {},
): LeadGroupWriter {
  // A transaction holds the store's write lock, but the core's writes wait for one group of it at
  // most (see the worker's code), so it may take all the pagers let queue up (20,000 leads, about
  // 0.6 s of writing).
  const maxLeads = opts.maxLeads ?? defaultTuning.backfillQueuedLeads;
  const sqlitePath = opts.sqlitePath ?? createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker | null = null;
  let ready = false;
  /** Once the worker could not start, every group is written on this thread. An in-memory store
   *  cannot be shared with another connection at all; `thread: false` asks for this thread. */
  let inThread = db.memory || opts.thread === false;
  /** Sent to the worker (or waiting for it to be ready), in order; answers come back in that order. */
  const pending: Pending[] = [];
  let last: Promise<unknown> = Promise.resolve();

  const writeHere = (p: Pending) => {
    try {
      p.resolve(leadGroupProgram(db).writeGroups([p.rows!])[0]!);
    } catch (e) {
      p.reject(e instanceof Error ? e : new Error(String(e)));
    }
  };

  const spawn = (): Worker => {
    const w = new Worker(source, {
      eval: true,
      workerData: {
        file: db.name,
        sqlitePath,
        programPath: leadGroupProgramPath,
        // A group may wait longer for the write lock than the core's own writes do (5 s): the core
        // thread may write in quick succession for a while (a sweep over many leads), and a backfill
        // group that gave up would fail the whole sync.
        pragmas: [...connectionPragmas, 'busy_timeout = 60000'],
        sql: leadGroupSql,
        maxLeads,
        coreWrites: coreWritesSignal(db),
        // Past this, a core that writes without pause (a long sweep) shares the lock again.
        coreFirstMs: 250,
      },
    });
    ready = false;
    w.on('message', (msg: Answer) => {
      if ('ready' in msg) {
        if (msg.ready) {
          ready = true;
          for (const p of pending) post(w, p);
        } else {
          log.warn('backfill writer thread unavailable; writing on the core thread', {
            error: msg.error,
          });
          inThread = true;
          for (const p of pending.splice(0)) writeHere(p);
        }
        return;
      }
      const p = pending.shift();
      if (pending.length === 0) w.unref(); // an idle writer does not keep the app alive
      if (msg.ok) p?.resolve(msg.outcomes);
      else p?.reject(new Error(msg.error));
    });
    w.on('error', (e) => log.warn('backfill writer thread failed', { error: e.message }));
    w.on('exit', () => {
      if (worker === w) worker = null;
      const lost = pending.splice(0);
      if (!ready && !inThread) {
        // Never started: write here instead.
        inThread = true;
        for (const p of lost) writeHere(p);
        return;
      }
      for (const p of lost)
        p.reject(new Error('the backfill writer thread stopped before committing'));
    });
    return w;
  };

  // A worker that has a group never gives it back (if it dies, the group fails), so the rows are
  // let go once posted: kept, they would outlive several young-generation GCs, each copying them.
  const post = (w: Worker, p: Pending) => {
    w.postMessage(p.rows);
    p.rows = null;
  };

  const start = (): Worker | null => {
    try {
      worker ??= spawn();
      return worker;
    } catch (e) {
      log.warn('backfill writer thread unavailable; writing on the core thread', {
        error: String(e),
      });
      inThread = true;
      for (const q of pending.splice(0)) writeHere(q);
      return null;
    }
  };

  return {
    warm() {
      if (inThread || worker) return;
      start()?.unref();
    },
    write(rows) {
      const done = new Promise<LeadUpsertOutcome[]>((resolve, reject) => {
        const p: Pending = { rows, resolve, reject };
        if (inThread) return writeHere(p);
        pending.push(p);
        const w = start();
        if (!w) return;
        w.ref();
        if (ready) post(w, p);
      });
      last = done.catch(() => undefined);
      return done;
    },
    async close() {
      await last;
      const w = worker;
      worker = null;
      if (!w) return;
      const exited = new Promise<void>((r) => w.once('exit', () => r()));
      w.postMessage('close');
      await exited;
    },
  };
}
