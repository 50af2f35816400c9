import { ApiError, type LeadRow } from '../../../shared/index';
import type { LeadHistoryEntry } from '../../../shared/api/leads';
import type { Db } from '../store/db';
import { getLeadRow } from '../store/leads';
import { readStages } from './stages';
import { recordStageChange } from '../conversions/queue';

/**
 * Owner edits of leads: status, tags, notes, follow-up. Each runs in one transaction, records what
 * changed in lead_history, and returns the changed rows so the caller emits `lead.updated` after
 * commit. Ids that do not exist are skipped (a bulk edit of a lead deleted meanwhile is not an error).
 */
export interface StatusChange {
  lead: LeadRow;
  from: string;
  to: string;
}

export interface Mutations {
  setStatus(ids: string[], status: string): StatusChange[];
  tag(ids: string[], add: string[], remove: string[]): LeadRow[];
  setNotes(id: string, notes: string): LeadRow[];
  setFollowUp(id: string, at: number | null): LeadRow[];
  readHistory(id: string): LeadHistoryEntry[];
}

export function createMutations(db: Db, now: () => number): Mutations {
  const history = db.prepare(
    'INSERT INTO lead_history(lead_id, at, field, old_value, new_value) VALUES (?, ?, ?, ?, ?)',
  );
  const exists = db.prepare('SELECT 1 FROM leads WHERE id = ?').pluck();
  const rows = (ids: Iterable<string>) =>
    [...ids].map((id) => getLeadRow(db, id)).filter((r): r is LeadRow => r !== null);

  const setStatus = db.transaction((ids: string[], status: string): StatusChange[] => {
    const stage = readStages(db).find((s) => s.toLocaleLowerCase() === status.toLocaleLowerCase());
    if (!stage) {
      throw new ApiError({ code: 'invalid_input', message: `"${status}" is not a pipeline stage.` });
    }
    const changes: { id: string; from: string }[] = [];
    const current = db.prepare('SELECT status FROM leads WHERE id = ?').pluck();
    const update = db.prepare('UPDATE leads SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ?');
    const at = now();
    for (const id of new Set(ids)) {
      const from = current.get(id) as string | undefined;
      if (from === undefined || from === stage) continue;
      update.run(stage, at, at, id);
      history.run(id, at, 'status', from, stage);
      recordStageChange(db, id, stage, at); // conversion event + first contact, same transaction
      changes.push({ id, from });
    }
    return changes.flatMap(({ id, from }) => {
      const lead = getLeadRow(db, id);
      return lead ? [{ lead, from, to: stage }] : [];
    });
  });

  const tag = db.transaction((ids: string[], add: string[], remove: string[]): LeadRow[] => {
    const insert = db.prepare('INSERT OR IGNORE INTO lead_tags(lead_id, tag) VALUES (?, ?)');
    const del = db.prepare('DELETE FROM lead_tags WHERE lead_id = ? AND tag = ?');
    const touch = db.prepare('UPDATE leads SET updated_at = ? WHERE id = ?');
    const at = now();
    const changed = new Set<string>();
    for (const id of new Set(ids)) {
      if (!exists.get(id)) continue;
      for (const t of add) {
        if (insert.run(id, t).changes) {
          history.run(id, at, 'tag', null, t);
          changed.add(id);
        }
      }
      for (const t of remove) {
        if (del.run(id, t).changes) {
          history.run(id, at, 'tag', t, null);
          changed.add(id);
        }
      }
      if (changed.has(id)) touch.run(at, id);
    }
    return rows(changed);
  });

  const setNotes = db.transaction((id: string, notes: string): LeadRow[] => {
    const from = db.prepare('SELECT notes FROM leads WHERE id = ?').pluck().get(id) as string | undefined;
    if (from === undefined) throw new ApiError({ code: 'not_found', message: `No lead with id ${id}.` });
    if (from === notes) return [];
    const at = now();
    db.prepare('UPDATE leads SET notes = ?, updated_at = ? WHERE id = ?').run(notes, at, id);
    history.run(id, at, 'notes', from, notes);
    return rows([id]);
  });

  const setFollowUp = db.transaction((id: string, followUpAt: number | null): LeadRow[] => {
    const row = db.prepare('SELECT follow_up_at FROM leads WHERE id = ?').get(id) as
      | { follow_up_at: number | null }
      | undefined;
    if (!row) throw new ApiError({ code: 'not_found', message: `No lead with id ${id}.` });
    const at = now();
    // A new date re-arms the reminder, even when it equals the old one.
    db.prepare('UPDATE leads SET follow_up_at = ?, follow_up_notified_at = NULL, updated_at = ? WHERE id = ?').run(
      followUpAt,
      at,
      id,
    );
    if (row.follow_up_at !== followUpAt) {
      history.run(id, at, 'follow_up', row.follow_up_at?.toString() ?? null, followUpAt?.toString() ?? null);
    }
    return rows([id]);
  });

  const readHistory = (id: string): LeadHistoryEntry[] => {
    if (!exists.get(id)) throw new ApiError({ code: 'not_found', message: `No lead with id ${id}.` });
    return (
      db
        .prepare('SELECT at, field, old_value, new_value FROM lead_history WHERE lead_id = ? ORDER BY at DESC, id DESC')
        .all(id) as { at: number; field: string; old_value: string | null; new_value: string | null }[]
    ).map((h) => ({ at: h.at, field: h.field, from: h.old_value, to: h.new_value }));
  };

  return { setStatus, tag, setNotes, setFollowUp, readHistory };
}
