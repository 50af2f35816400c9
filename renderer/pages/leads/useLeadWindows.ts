import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { LeadRow } from '../../../shared/index';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import { call, errorText, on } from '../../api/client';
import { coalesce } from '../../hooks/coalesce';

export const blockSize = 100;
/** Blocks kept in memory; the rest are fetched again when scrolled back to. */
const maxBlocks = 60;

/**
 * The Leads table's data: fetches 100-row blocks by offset as they scroll into view and never the
 * whole list. A change in the store (new lead, edit) refetches the visible blocks while the old
 * rows stay on screen, so nothing flickers; an edited row is patched at once from its event.
 */
export function useLeadWindows(filter: LeadFilter, sort: LeadSort) {
  const key = JSON.stringify([filter, sort]);
  const [total, setTotal] = useState<number | null>(null);
  const [totalCapped, setTotalCapped] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const blocks = useRef(new Map<number, LeadRow[]>());
  const stale = useRef(new Map<number, LeadRow[]>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const visible = useRef<[number, number]>([0, 0]);
  /**
   * Rows from lead.updated events, numbered in arrival order. A block asked for before an edit
   * arrived may hold the row as it was (a new lead still "Fetching…" when its fields land a few ms
   * later): the edit wins over such an answer instead of waiting for the next refresh.
   */
  const edits = useRef(new Map<string, { lead: LeadRow; seq: number }>());
  const eventSeq = useRef(0);
  /** Each loaded block's `next` cursor: the block after it is read by keyset, not by a deep OFFSET. */
  const cursors = useRef(new Map<number, { key: number | string; id: string }>());
  /** Where a capped search's matches end, once a block shorter than blockSize showed it. */
  const searchEnd = useRef<number | null>(null);
  const withNewerEdits = (rows: LeadRow[], sentAfter: number): LeadRow[] =>
    edits.current.size === 0
      ? rows
      : rows.map((row) => {
          const edit = edits.current.get(row.id);
          return edit && edit.seq > sentAfter ? edit.lead : row;
        });

  /**
   * A refetched block hands back the row objects already on screen for leads that did not change
   * (most of them, when a new lead pushes the list down by one): their cells are memoised on the
   * row object, so only the new or edited rows render again.
   */
  const keepUnchanged = (b: number, rows: LeadRow[]): LeadRow[] => {
    const shown = new Map<string, LeadRow>();
    for (let k = b - 1; k <= b + 1; k++)
      for (const row of blocks.current.get(k) ?? stale.current.get(k) ?? []) shown.set(row.id, row);
    return rows.map((row) => {
      const old = shown.get(row.id);
      return old && sameLead(old, row) ? old : row;
    });
  };

  const fetchBlock = useCallback(
    (b: number): Promise<void> => {
      if (blocks.current.has(b) || inflight.current.has(b)) return Promise.resolve();
      inflight.current.add(b);
      const gen = generation.current;
      const sentAfter = eventSeq.current;
      const [f, s] = JSON.parse(key) as [LeadFilter, LeadSort];
      // Deep in a million rows an OFFSET walks the index from the top (~15-30 ms a block); after the
      // block above, the same rows cost a seek (~1 ms). The server falls back to the offset for
      // sorts without a cursor.
      const after = cursors.current.get(b - 1);
      return call('leads.list', {
        ...f,
        sort: s,
        offset: b * blockSize,
        limit: blockSize,
        ...(after ? { after } : {}),
      }).then(
        (r) => {
          if (gen !== generation.current) return;
          inflight.current.delete(b);
          blocks.current.set(b, keepUnchanged(b, withNewerEdits(r.rows, sentAfter)));
          if (r.next) cursors.current.set(b, r.next);
          else cursors.current.delete(b);
          stale.current.delete(b);
          if (inflight.current.size === 0) edits.current.clear();
          if (blocks.current.size > maxBlocks) {
            const [lo, hi] = visible.current;
            for (const k of blocks.current.keys()) {
              if (k >= lo - 5 && k <= hi + 5) continue;
              blocks.current.delete(k);
              cursors.current.delete(k);
            }
          }
          if (!r.totalCapped) {
            setTotal(r.total);
            setTotalCapped(false);
          } else {
            // A broad search counts its first searchCountCap matches only ("1,000+"): the table
            // reaches one block past the furthest full block read, so the owner scrolls on
            // through every match, and a short block marks the exact end.
            const end = b * blockSize + r.rows.length;
            if (r.rows.length < blockSize) searchEnd.current = end;
            const exact = searchEnd.current;
            setTotal((shown) => exact ?? Math.max(r.total, shown ?? 0, end + blockSize));
            setTotalCapped(exact === null);
          }
          setError(null);
          redraw();
        },
        (e: unknown) => {
          inflight.current.delete(b);
          setError(errorText(e));
        },
      );
    },
    [key],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      const lo = Math.floor(start / blockSize);
      const hi = Math.floor(Math.max(start, end) / blockSize);
      visible.current = [lo, hi];
      for (let b = lo; b <= hi; b++) void fetchBlock(b);
    },
    [fetchBlock],
  );

  /** Refetch what is on screen; keep showing the old rows meanwhile. Resolves when all landed. */
  const refresh = useCallback(() => {
    generation.current++;
    searchEnd.current = null;
    for (const [k, v] of blocks.current) stale.current.set(k, v);
    blocks.current.clear();
    cursors.current.clear();
    inflight.current.clear();
    const [lo, hi] = visible.current;
    const landed: Promise<void>[] = [];
    for (let b = lo; b <= hi; b++) landed.push(fetchBlock(b));
    return Promise.all(landed);
  }, [fetchBlock]);

  useEffect(() => {
    generation.current++;
    blocks.current.clear();
    cursors.current.clear();
    stale.current.clear();
    inflight.current.clear();
    edits.current.clear();
    searchEnd.current = null;
    setTotal(null);
    void fetchBlock(0);
  }, [fetchBlock]);

  useEffect(() => {
    // A new lead shows as soon as one refresh can fetch it; a slow store spaces refreshes out.
    const later = coalesce(refresh, { minGapMs: 50, busyFactor: 4 });
    const offReceived = on('lead.received', later);
    // A first backfill writes history without a lead.received per lead: follow its progress.
    const offSync = on('sync.progress', later);
    const offUpdated = on('lead.updated', ({ lead }) => {
      if (inflight.current.size > 0) {
        edits.current.set(lead.id, { lead, seq: ++eventSeq.current });
        if (edits.current.size > 5_000) edits.current.clear();
      }
      let shown = false;
      for (const rows of [...blocks.current.values(), ...stale.current.values()]) {
        const i = rows.findIndex((r) => r.id === lead.id);
        if (i >= 0) {
          rows[i] = lead;
          shown = true;
        }
      }
      if (shown) redraw();
      later();
    });
    return () => {
      later.cancel();
      offReceived();
      offSync();
      offUpdated();
    };
  }, [refresh]);

  const rowAt = (i: number): LeadRow | undefined => {
    const b = Math.floor(i / blockSize);
    return (blocks.current.get(b) ?? stale.current.get(b))?.[i % blockSize];
  };

  return { total, totalCapped, error, rowAt, ensureRange, refresh };
}

function sameLead(a: LeadRow, b: LeadRow): boolean {
  for (const key of Object.keys(b) as (keyof LeadRow)[]) {
    if (key === 'tags') {
      if (a.tags.length !== b.tags.length || a.tags.some((t, i) => t !== b.tags[i])) return false;
    } else if (a[key] !== b[key]) return false;
  }
  return true;
}
