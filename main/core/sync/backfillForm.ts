import type { Paged } from '../graph/client';
import { GraphError } from '../graph/errors';
import type { LeadRow } from '../../../shared/index';
import { leadFields, normaliseLead, type GraphLead } from '../leads/normalise';
import type { Db } from '../store/db';
import type { LeadUpsertOutcome } from '../store/leadGroupProgram';
import { leadRowValues } from '../store/leadWrites';
import { getLeadRow } from '../store/leads';
import { questionsOf, type FormRecord } from '../store/pages';
import type { SyncContext } from './context';
import { withGraphRetry } from './graphRetry';

export interface BackfillResult {
  /** Rows written (new, completed or changed). */
  written: number;
  /** New leads found by an incremental sync: their webhook never reached us. */
  fresh: LeadRow[];
  /** Leads a webhook announced (pending) that this sync completed before the fetch worker did. */
  completed: LeadRow[];
  newCount: number;
}

/**
 * Pulls one form's leads created after its cursor minus an overlap (Meta's clocks and our last
 * run may straddle a lead), pages to the end, and upserts the pages in batched transactions.
 * The cursor moves only after every group committed: a crash half-way repeats the range next time
 * (idempotent) instead of skipping what was not stored yet.
 */
export async function backfillForm(
  ctx: SyncContext,
  form: FormRecord,
  token: string,
  onBatch: (written: number) => void,
): Promise<BackfillResult> {
  const { db, clock, tuning } = ctx;
  const startedAt = clock.now();
  const nowSec = Math.floor(startedAt / 1000);
  const since =
    form.cursor_time !== null
      ? form.cursor_time - tuning.overlapSec
      : nowSec - tuning.backfillDays * 86_400;
  const incremental = form.cursor_time !== null;
  // A first backfill brings thousands of leads: the writer thread starts while its pages travel.
  if (!incremental) ctx.leadGroups.warm();
  const questions = questionsOf(form);
  const freshIds: string[] = [];
  const completedIds: string[] = [];
  let newCount = 0;
  let written = 0;
  let maxCreatedSec = form.cursor_time ?? 0;

  const fetchPage = (first: string) => {
    let url = first;
    const p = withGraphRetry(async () => {
      try {
        return await ctx.graph.request<Paged<GraphLead>>({ path: url, token });
      } catch (e) {
        url = smallerPage(url, e);
        throw e;
      }
    }, ctx.retry);
    p.catch(() => undefined); // awaited below; this only keeps a prefetch from being "unhandled"
    return p;
  };
  /** What a group's outcomes mean; `ids` and `createdTimes` (Unix ms) are its leads', in order. */
  const tally = (ids: string[], createdTimes: number[], outcomes: LeadUpsertOutcome[]) => {
    ids.forEach((id, i) => {
      const outcome = outcomes[i];
      if (outcome === 'new') newCount++;
      if (outcome === 'completed') completedIds.push(id);
      // A first sync brings history (no notifications), but a lead submitted minutes ago is news.
      else if (outcome === 'new' && (incremental || createdTimes[i]! >= startedAt - 5 * 60_000))
        freshIds.push(id);
      maxCreatedSec = Math.max(maxCreatedSec, Math.floor(createdTimes[i]! / 1000));
    });
    written += ids.length;
    onBatch(written);
  };

  // Pages are held and written in groups of up to tuning.backfillBatchLeads leads: each commit
  // rewrites every index page it touched, and random keys such as names touch about a page per
  // lead, so fewer, larger commits cost less per lead. A held page is written within
  // backfillHoldMs even if no more arrive, so on a slow line leads still show up page by page.
  // Groups are written by the writer thread (store/leadGroupWriter.ts), in order, while this
  // thread goes on receiving pages; new leads are searchable the moment their group commits.
  const held: GraphLead[] = [];
  let holdTimer: NodeJS.Timeout | null = null;
  let failure: unknown = null;
  let writeFailed = false;
  /** Every group written so far, committed (or failed). */
  let committed: Promise<void> = Promise.resolve();
  /** Leads handed to the writer and not yet committed: pages wait while it is behind. */
  let writing = 0;
  /** Pagers waiting for the writer to catch up; woken as each group settles. */
  const waiting: (() => void)[] = [];
  const flush = () => {
    if (holdTimer) clearTimeout(holdTimer);
    holdTimer = null;
    if (held.length === 0) return;
    const now = clock.now();
    // Only each lead's id and created time are kept until the group commits: whatever lives
    // that long is copied by every young-generation GC on the way, a large share of a backfill's
    // CPU on this thread.
    const ids: string[] = [];
    const createdTimes: number[] = [];
    const rows = held.splice(0).map((raw) => {
      const lead = normaliseLead(raw, questions, form.locale);
      lead.formId ??= form.id; // the leads of a form need not say which form they are on
      ids.push(lead.id);
      createdTimes.push(lead.createdTime);
      return leadRowValues(lead, form.page_id, now);
    });
    writing += rows.length;
    const outcomes = ctx.leadGroups.write(rows);
    outcomes.catch(() => undefined); // observed through `committed`, even after an earlier group failed
    committed = committed
      .then(() => outcomes)
      .then((o) => tally(ids, createdTimes, o))
      .finally(() => {
        writing -= ids.length;
        for (const wake of waiting.splice(0)) wake();
      });
    committed.catch((e: unknown) => {
      writeFailed = true;
      failure ??= e;
    });
  };
  const hold = (rows: GraphLead[]) => {
    for (const r of rows) held.push(r);
    if (held.length >= tuning.backfillBatchLeads) flush();
    else
      holdTimer ??= setTimeout(() => {
        try {
          flush();
        } catch (e) {
          writeFailed = true;
          failure ??= e;
        }
      }, tuning.backfillHoldMs);
  };

  // Meta's cursors chain one page to the next, so a single pager waits a round trip per page. A
  // long range is split into time windows paged side by side (`time_created` GREATER_THAN and
  // LESS_THAN): whole seconds, window i covering [start_i, start_{i+1}), no gap and no overlap.
  // LESS_THAN is attested by integrations, not by Meta's reference (meta-platform.md §3): were it
  // ignored, windows would overlap, costing requests but never a lead (upserts are idempotent).
  const windows = timeWindows(since, nowSec, tuning.backfillWindows);
  const pageWindow = async ([after, before]: [number, number | null]) => {
    const filtering = [{ field: 'time_created', operator: 'GREATER_THAN', value: after }];
    if (before !== null)
      filtering.push({ field: 'time_created', operator: 'LESS_THAN', value: before });
    let pending: Promise<Paged<GraphLead>> | null = fetchPage(
      ctx.graph.url(`${form.id}/leads`, {
        fields: leadFields,
        filtering: JSON.stringify(filtering),
        limit: tuning.pageSize,
      }),
    );
    try {
      while (pending) {
        const page: Paged<GraphLead> = await pending;
        const stop =
          failure ?? (ctx.stopping() ? new Error('sync stopped: the app is closing') : null);
        // Ask for the next page before writing this one: Meta's answer travels while SQLite works.
        pending = !stop && page.paging?.next ? fetchPage(page.paging.next) : null;
        hold(page.data ?? []); // a page that arrived is kept even when the run stops here
        if (stop) throw stop;
        // Wait for the writer to catch up below the bound, not to run dry: what queued up is
        // there when it finishes a transaction, so it never idles while pages are on their way.
        while (writing > tuning.backfillQueuedLeads)
          await new Promise<void>((wake) => waiting.push(wake));
      }
    } catch (e) {
      failure ??= e; // the other windows stop at their next page
      throw e;
    }
  };
  await Promise.allSettled(windows.map(pageWindow));
  // Leads that arrived before a failure are as good as any: keep them (the cursor stays put, so
  // the range is read again), unless writing is what failed.
  if (!writeFailed) flush();
  await committed.catch(() => undefined);
  if (failure) throw failure;
  // Everything after `since` is now stored, so even an empty form moves its cursor there.
  setFormCursor(db, form.id, Math.max(maxCreatedSec, since), clock.now());
  const rowsOf = (ids: string[]) =>
    ids
      .slice(0, 50)
      .map((id) => getLeadRow(db, id))
      .filter((r): r is LeadRow => r !== null);
  return { written, fresh: rowsOf(freshIds), completed: rowsOf(completedIds), newCount };
}

/**
 * Meta answers code 1 ("Please reduce the amount of data you're asking for") when a page of
 * leads is too big, and Meta's maximum `limit` is undocumented: retry with half as many per page
 * (paging.next keeps the smaller size) rather than repeat a request Meta will refuse every time.
 */
function smallerPage(url: string, e: unknown): string {
  if (!(e instanceof GraphError) || e.code !== 1) return url;
  const u = new URL(url);
  const limit = Number(u.searchParams.get('limit') ?? 25);
  if (!(limit > 25)) return url;
  u.searchParams.set('limit', String(Math.max(25, Math.floor(limit / 2))));
  return u.toString();
}

/**
 * `count` windows of whole seconds over (since, now]: pairs of GREATER_THAN / LESS_THAN bounds, the
 * last open-ended so a lead created during the sync is not cut off. One window for a range of a
 * day or less (an incremental sync), where splitting would only add requests.
 */
export function timeWindows(since: number, now: number, count: number): [number, number | null][] {
  const n = now - since > 86_400 ? Math.max(1, count) : 1;
  const step = Math.ceil((now - since) / n);
  const out: [number, number | null][] = [];
  // Window i: since + i*step - 1 < t < since + (i+1)*step, i.e. t in [since + i*step, since + (i+1)*step).
  for (let i = 0; i < n; i++)
    out.push([i === 0 ? since : since + i * step - 1, i === n - 1 ? null : since + (i + 1) * step]);
  return out;
}

function setFormCursor(db: Db, formId: string, cursor: number | null, now: number): void {
  db.prepare(
    'UPDATE forms SET cursor_time = coalesce(?, cursor_time), last_sync_at = ? WHERE id = ?',
  ).run(cursor, now, formId);
}
