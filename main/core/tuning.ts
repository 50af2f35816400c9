/**
 * Delays and sizes the core runs with. Production uses the defaults; tests pass small delays so
 * backoff paths run in milliseconds (speed itself is measured by benchmarks, never by tests).
 */
export interface CoreTuning {
  /** Lead fetch retries: jittered exponential backoff. */
  fetchBackoff: { baseMs: number; maxMs: number };
  /** Sync request retries (5xx, timeouts). */
  syncBackoff: { baseMs: number; maxMs: number };
  syncMaxAttempts: number;
  /** Relay reconnects. */
  relayBackoff: { baseMs: number; maxMs: number };
  /** Cap on a pause Meta asks for, and the pause when it gives no estimate (meta-platform.md §6). */
  rateLimitMaxPauseMs: number;
  rateLimitDefaultPauseMs: number;
  /** Re-read this much before each form's cursor (seconds). */
  overlapSec: number;
  /** First connect pulls this much history (Meta keeps about 90 days). */
  backfillDays: number;
  /** Leads per page when paging /{form}/leads. */
  pageSize: number;
  /** A backfill commits pages together up to this many leads… */
  backfillBatchLeads: number;
  /** …holding a page at most this long (ms) before it is written. */
  backfillHoldMs: number;
  /** Pagers wait while the writer has more leads than this still to commit (memory stays bounded),
   *  and the writer commits up to this many of what queued up in one transaction. */
  backfillQueuedLeads: number;
  /** Time windows a long backfill range is paged in side by side. */
  backfillWindows: number;
  /** Backfill groups are written on a worker thread (store/leadGroupWriter.ts); false writes them
   *  on the core thread (the benchmark's same-run comparison). */
  backfillWriterThread: boolean;
  oauthPollMs: number;
  oauthTimeoutMs: number;
  /** How often token health (debug_token) is checked per account. */
  tokenCheckEveryMs: number;
  /** Relay heartbeat before its welcome tells us the real one. */
  relayHeartbeatMs: number;
  /** Search index merging (inbox/searchUpkeep.ts). */
  searchUpkeep: {
    /** After start, and then between checks. */
    firstCheckMs: number;
    checkEveryMs: number;
    /** No merging until this long after the last sync progress. */
    quietMs: number;
    /** FTS5 pages written per slice, and the least pause between slices. */
    slicePages: number;
    minGapMs: number;
    /** Segments besides the largest must hold at least this many pages to be worth a merge. */
    minPages: number;
  };
  /** One minute of the owner's reconciliation period (Settings), in ms: tests shrink it. */
  reconciliationMinuteMs: number;
}

export const defaultTuning: CoreTuning = {
  fetchBackoff: { baseMs: 2_000, maxMs: 15 * 60_000 },
  syncBackoff: { baseMs: 2_000, maxMs: 60_000 },
  syncMaxAttempts: 6,
  relayBackoff: { baseMs: 500, maxMs: 60_000 },
  rateLimitMaxPauseMs: 15 * 60_000,
  rateLimitDefaultPauseMs: 60_000,
  overlapSec: 600,
  backfillDays: 90,
  pageSize: 500,
  backfillBatchLeads: 2_000,
  backfillHoldMs: 100,
  backfillQueuedLeads: 20_000,
  backfillWindows: 4,
  backfillWriterThread: true,
  oauthPollMs: 1_000,
  oauthTimeoutMs: 10 * 60_000,
  tokenCheckEveryMs: 12 * 3_600_000,
  relayHeartbeatMs: 15_000,
  reconciliationMinuteMs: 60_000,
  searchUpkeep: {
    firstCheckMs: 60_000,
    checkEveryMs: 10 * 60_000,
    quietMs: 30_000,
    slicePages: 100,
    minGapMs: 5,
    minPages: 256,
  },
};
