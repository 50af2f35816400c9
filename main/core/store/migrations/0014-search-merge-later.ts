import type { Migration } from './types';

/**
 * FTS5 merges index segments as they are written: once a level holds `automerge` segments (4 by
 * default), every later commit also rewrites part of them into one larger segment. During a backfill
 * that is wasted work: each commit's segment is rewritten again at every level it climbs, and when
 * the backfill is over the search upkeep (inbox/searchUpkeep.ts) merges the whole index into one
 * segment anyway. At 8, segments are merged half as often and each write climbs fewer levels;
 * searches still meet only a handful of segments, and live leads (one tiny segment per commit) are
 * still merged as they come.
 *
 * Measured in SQLite alone, simulator leads in 20,000-lead transactions, interleaved runs:
 * 100,000 leads 33,985 → 38,795 leads/s (medians of 3, +14 %); 400,000 leads +4–8 %, the longest
 * transaction shorter (906 against 1,049 ms). Searches at 400,000 leads took the same time. End to
 * end (a 100,000-lead backfill through the simulator, 10 alternating pairs) it is a wash: 8 was
 * faster in 5 pairs, slower in 5, as the CPU the simulator and the core's parsing take on this
 * 2-core machine sets the pace there. Kept because it is less work for SQLite, not more.
 *
 * Why not 0 (no merging while writing): then only FTS5's crisis merge bounds the segments, and it
 * rewrites 16 of them at once inside one commit. At 400,000 leads that commit took 2.6 s, holding
 * the write lock that a live lead waits for.
 */
export const m0014: Migration = {
  version: 14,
  name: 'search-merge-later',
  up(db) {
    db.exec(`INSERT INTO leads_fts(leads_fts, rank) VALUES ('automerge', 8)`);
  },
};
