import type { Db } from './db';
import { stmt } from './statements';

/** Small named values in the kv table: relay cursor and progress, install id, last reconciliation time. */
export const kvKeys = {
  relayCursor: 'relay.cursor',
  installId: 'relay.installId',
  lastReconcileAt: 'sync.lastReconcileAt',
  relayDeliveredUntil: 'relay.deliveredUntil',
} as const;

export function kvGet(db: Db, key: string): string | null {
  const row = stmt(db, 'SELECT value FROM kv WHERE key = ?').get(key) as
    { value: string } | undefined;
  return row?.value ?? null;
}

export function kvSet(db: Db, key: string, value: string): void {
  stmt(
    db,
    'INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export function kvDelete(db: Db, key: string): void {
  stmt(db, 'DELETE FROM kv WHERE key = ?').run(key);
}
