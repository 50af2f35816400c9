import { ApiError } from '../../../shared/index';
import { savedViewSchema, type SavedView } from '../../../shared/api/inbox';
import type { Db } from '../store/db';

type ViewInput = Omit<SavedView, 'id'> & { id?: number | undefined };

/** Saved views of the Leads list: a name plus the filter, sort and columns, stored as JSON. */
export function listViews(db: Db): SavedView[] {
  const rows = db.prepare('SELECT id, name, spec FROM saved_views ORDER BY name COLLATE NOCASE').all() as {
    id: number;
    name: string;
    spec: string;
  }[];
  return rows.flatMap((r) => {
    // A view written by a newer build that no longer parses is left out, not fatal.
    const parsed = savedViewSchema.safeParse({ id: r.id, name: r.name, ...(JSON.parse(r.spec) as object) });
    return parsed.success ? [parsed.data] : [];
  });
}

export function saveView(db: Db, view: ViewInput, now: number): SavedView {
  const spec = JSON.stringify({ filter: view.filter, sort: view.sort, columns: view.columns });
  const clash = db.prepare('SELECT id FROM saved_views WHERE name = ?').pluck().get(view.name) as number | undefined;
  if (clash !== undefined && clash !== view.id) {
    throw new ApiError({ code: 'conflict', message: `A view named "${view.name}" already exists.` });
  }
  let id = view.id;
  if (id === undefined) {
    id = Number(db.prepare('INSERT INTO saved_views(name, spec, updated_at) VALUES (?, ?, ?)').run(view.name, spec, now).lastInsertRowid);
  } else {
    const r = db.prepare('UPDATE saved_views SET name = ?, spec = ?, updated_at = ? WHERE id = ?').run(view.name, spec, now, id);
    if (r.changes === 0) throw new ApiError({ code: 'not_found', message: `No saved view with id ${id}.` });
  }
  return { id, name: view.name, filter: view.filter, sort: view.sort, columns: view.columns };
}

export function deleteView(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM saved_views WHERE id = ?').run(id).changes > 0;
}
