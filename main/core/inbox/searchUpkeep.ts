import type { EventBus } from '../events';
import type { Logger } from '../ports';
import type { Db } from '../store/db';
import { stmt } from '../store/statements';
import type { CoreTuning } from '../tuning';

/**
 * Keeps the search index in few segments. FTS5 writes every commit's new terms as a new b-tree
 * segment and merges them only in small steps, so after a big backfill a 1,000,000-lead index sits
 * in a dozen large segments, and a query walks each one's doclists: a search for a fragment of
 * common trigrams measured 15 ms there and 8 ms once the index was one segment. Merging rewrites
 * the whole index (about 7 s of work at 1M leads), so it runs only when the segments besides the
 * largest hold a tenth of its size, in slices of a few milliseconds with the thread free between
 * them, and never while a sync is writing leads.
 */

/** Leaf pages of each segment of leads_fts, largest first. */
export function searchSegmentPages(db: Db): number[] {
  const segments = stmt(db, 'SELECT DISTINCT segid FROM leads_fts_idx').pluck().all() as number[];
  // FTS5's %_data rowid is (segid << 37) + page number for leaf pages (fts5_dri in fts5Int.h, part
  // of its file format), so a segment's last leaf page number is its size, found by one seek.
  const lastLeaf = stmt(
    db,
    `SELECT coalesce(max(id) - (@seg << 37), 0) FROM leads_fts_data
      WHERE id BETWEEN (@seg << 37) AND (@seg << 37) + 2147483647`,
  ).pluck();
  return segments.map((s) => lastLeaf.get({ seg: s }) as number).sort((a, b) => b - a);
}

/** Segments besides the largest that are worth a full merge (see the module comment). */
export function searchIndexNeedsMerge(pages: number[], minPages = 256): boolean {
  if (pages.length < 2) return false;
  const rest = pages.slice(1).reduce((a, b) => a + b, 0);
  return rest >= Math.max(minPages, pages[0]! / 10);
}

export interface SearchUpkeepResult {
  merged: boolean;
  /** Wall time from the first slice to the last, pauses included. */
  ms: number;
  slices: number;
  segmentsBefore: number;
}

export interface SearchUpkeep {
  /** Checks the index now and, if it needs it, merges it to the end (slice by slice). */
  settle(): Promise<SearchUpkeepResult>;
  start(): void;
  stop(): void;
}

export function createSearchUpkeep(deps: {
  db: Db;
  events: EventBus;
  logger: Logger;
  tuning: CoreTuning['searchUpkeep'];
}): SearchUpkeep {
  const { db, tuning } = deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<SearchUpkeepResult> | null = null;
  let stopped = true;
  let closing = false;
  let quietUntil = 0;
  // A sync writing leads would both slow the merge and be slowed by it; wait until it is done.
  const offSync = deps.events.on('sync.progress', () => {
    quietUntil = performance.now() + tuning.quietMs;
  });

  const pause = (ms: number) => new Promise<void>((ok) => setTimeout(ok, ms));

  /** One slice: true if it merged something. FTS5 says so through total_changes() (≥ 2). */
  const mergeSlice = (): boolean => {
    const before = stmt(db, 'SELECT total_changes()').pluck().get() as number;
    stmt(db, "INSERT INTO leads_fts(leads_fts, rank) VALUES('merge', ?)").run(-tuning.slicePages);
    return (stmt(db, 'SELECT total_changes()').pluck().get() as number) - before >= 2;
  };

  async function run(): Promise<SearchUpkeepResult> {
    const pages = searchSegmentPages(db);
    const result: SearchUpkeepResult = {
      merged: false,
      ms: 0,
      slices: 0,
      segmentsBefore: pages.length,
    };
    if (!searchIndexNeedsMerge(pages, tuning.minPages)) return result;
    const startedAt = performance.now();
    deps.logger.info('search index: merging segments', {
      segments: pages.length,
      pages: pages.reduce((a, b) => a + b, 0),
    });
    for (;;) {
      const wait = quietUntil - performance.now();
      if (wait > 0) await pause(wait);
      if (closing || !db.open) break;
      const sliceFrom = performance.now();
      const didWork = mergeSlice();
      result.slices++;
      if (!didWork) break;
      result.merged = true;
      // At least as long free as the slice took: the thread stays at least half free for the UI.
      await pause(Math.max(tuning.minGapMs, performance.now() - sliceFrom));
    }
    result.ms = performance.now() - startedAt;
    deps.logger.info('search index: merged', { ms: Math.round(result.ms), slices: result.slices });
    return result;
  }

  const settle = (): Promise<SearchUpkeepResult> => {
    running ??= run().finally(() => (running = null));
    return running;
  };

  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      settle()
        .catch((e: unknown) => deps.logger.warn('search index upkeep failed', { error: String(e) }))
        .finally(() => schedule(tuning.checkEveryMs));
    }, ms);
    timer.unref?.();
  };

  return {
    settle,
    start() {
      stopped = false;
      schedule(tuning.firstCheckMs);
    },
    stop() {
      stopped = true;
      closing = true;
      if (timer) clearTimeout(timer);
      timer = null;
      offSync();
    },
  };
}
