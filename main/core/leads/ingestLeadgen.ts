import { z } from 'zod';
import { InvalidEntry, type EntryHandler } from '../ingest/registry';
import { insertPendingLead } from '../store/leadWrites';
import { getLeadRow } from '../store/leads';
import type { EventBus } from '../events';
import { parseMetaTime } from './normalise';

/** One `changes[]` item of a Page delivery with field leadgen (meta-platform.md §2.5): ids only. */
const leadgenValue = z.object({
  leadgen_id: z.union([z.string(), z.number()]).transform(String),
  page_id: z.union([z.string(), z.number()]).transform(String),
  form_id: z.union([z.string(), z.number()]).transform(String).optional(),
  ad_id: z.union([z.string(), z.number()]).transform(String).optional(),
  adgroup_id: z.union([z.string(), z.number()]).transform(String).optional(),
  created_time: z.union([z.number(), z.string()]).optional(),
});

const pageEntry = z.object({
  id: z.union([z.string(), z.number()]).transform(String).optional(),
  changes: z.array(z.object({ field: z.string(), value: z.unknown() })).optional(),
});

export interface LeadgenIngestDeps {
  events: EventBus;
  now: () => number;
  /** Wakes the fetch worker once the pending rows are committed. */
  wakeWorker: () => void;
}

/**
 * Relay 'page' entries: each leadgen change becomes a pending lead row (INSERT OR IGNORE on the
 * lead id, so Meta's duplicate deliveries and relay replays write one row). Messaging entries of the
 * same kind are for the conversations handler and are ignored here.
 */
export function leadgenHandler(deps: LeadgenIngestDeps): EntryHandler {
  return (entry, ctx) => {
    const parsed = pageEntry.safeParse(entry);
    if (!parsed.success) throw new InvalidEntry('page entry without a readable changes list');
    const received: string[] = [];
    for (const change of parsed.data.changes ?? []) {
      if (change.field !== 'leadgen') continue;
      const v = leadgenValue.safeParse(change.value);
      if (!v.success) throw new InvalidEntry('leadgen change without leadgen_id/page_id');
      const now = deps.now();
      const inserted = insertPendingLead(ctx.db, {
        id: v.data.leadgen_id,
        pageId: v.data.page_id,
        formId: v.data.form_id ?? null,
        adId: v.data.ad_id ?? v.data.adgroup_id ?? null,
        createdTime: v.data.created_time !== undefined ? safeTime(v.data.created_time, now) : now,
        receivedAt: now,
      });
      if (inserted) received.push(v.data.leadgen_id);
    }
    if (received.length === 0) return;
    ctx.afterCommit(() => {
      for (const id of received) {
        const lead = getLeadRow(ctx.db, id);
        if (lead) deps.events.emit('lead.received', { lead });
      }
      deps.wakeWorker();
    });
  };
}

function safeTime(v: string | number, fallback: number): number {
  try {
    return parseMetaTime(v);
  } catch {
    return fallback;
  }
}
