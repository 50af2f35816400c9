import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../store/db';

/** The core's own disconnects (main/core/sync handlers): they unsubscribe pages and clear the keychain. */
export interface Disconnects {
  facebook(accountId: string): unknown;
  whatsapp(phoneNumberId: string): unknown;
  /** The Conversions API dataset and its system-user token. */
  conversions(): unknown;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

// Kept: kv (install id, relay cursor: no personal data, and a lost cursor would replay old events).
const keep = new Set(['kv']);

/**
 * Settings → "Disconnect and delete data": every account goes through the same disconnect as its
 * own button (tokens leave the keychain there), then every data table is emptied in one
 * transaction and the media cache removed. Disconnect first: if it fails, nothing was deleted yet.
 */
export async function deleteAllData(db: Db, dataDir: string, disconnect: Disconnects): Promise<{ leads: number }> {
  for (const id of db.prepare('SELECT id FROM accounts').pluck().all() as string[]) await disconnect.facebook(id);
  for (const id of db.prepare('SELECT phone_number_id FROM whatsapp_numbers').pluck().all() as string[])
    await disconnect.whatsapp(id);
  await disconnect.conversions();
  const leads = db.prepare('SELECT count(*) FROM leads').pluck().get() as number;
  const all = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`)
    .all() as { name: string; sql: string }[];
  const virtual = all.filter((t) => /^CREATE VIRTUAL TABLE/i.test(t.sql)).map((t) => t.name);
  // Shadow tables of a virtual table are emptied through it, never directly.
  const tables = all.filter((t) => !keep.has(t.name) && !virtual.some((v) => t.name.startsWith(`${v}_`)));
  db.transaction(() => {
    db.pragma('defer_foreign_keys = ON');
    // Search index first, so the per-row delete triggers on leads find nothing to do. 'delete-all'
    // drops every segment of a contentless index (migration 0009) at once, where a DELETE would
    // leave the old terms in the file until a merge.
    for (const v of virtual.map(quoted)) db.exec(`INSERT INTO ${v}(${v}) VALUES ('delete-all')`);
    for (const t of tables.filter((x) => !virtual.includes(x.name))) db.exec(`DELETE FROM ${quoted(t.name)}`);
  })();
  scrubFreedPages(db);
  await rm(join(dataDir, 'media'), { recursive: true, force: true });
  return { leads };
}

/** Best effort: drop the deleted rows' pages from the file and the WAL (fails if a reader is open). */
function scrubFreedPages(db: Db): void {
  try {
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
  } catch {
    // An export still streaming holds a read cursor; the pages are reused by later writes anyway.
  }
}
