import type { RelayDb } from './db';
import type { InstallRegistry } from './installs';
import type { Logger } from './logger';

export interface SweepResult {
  ackedRemoved: number;
  unackedDropped: number;
  eventsRemoved: number;
}

/**
 * Bounds disk use. Acked deliveries are removed at least one grace period after their ack (a sweep
 * removes what was acked as of a snapshot taken a grace period earlier), unacked ones when their
 * event is older than the retention window (counted in a log line; the install then gets a `gap`
 * frame), and events once no delivery refers to them.
 */
export function sweepRetention(
  db: RelayDb,
  installs: InstallRegistry,
  log: Logger,
  now: number,
  retentionMs: number,
  graceMs: number,
): SweepResult {
  installs.flushAcks();
  const cutoff = now - retentionMs;
  return db.transaction((): SweepResult => {
    let ackedRemoved = 0;
    const swept = db.prepare('SELECT id, acked_seq, swept_acked_seq, swept_at FROM installs').all() as {
      id: string;
      acked_seq: number;
      swept_acked_seq: number;
      swept_at: number;
    }[];
    const removeAcked = db.prepare('DELETE FROM deliveries WHERE install_id = ? AND seq <= ?');
    const snapshot = db.prepare('UPDATE installs SET swept_acked_seq = acked_seq, swept_at = ? WHERE id = ?');
    for (const i of swept) {
      // A snapshot is kept until it is a whole grace period old (sweeps run more often than
      // that), so every removed row was acked at least `graceMs` ago; then a new one is taken.
      const matured = now - i.swept_at >= graceMs;
      if (i.swept_acked_seq > 0 && matured) ackedRemoved += removeAcked.run(i.id, i.swept_acked_seq).changes;
      if (i.acked_seq !== i.swept_acked_seq && (matured || i.swept_acked_seq === 0)) snapshot.run(now, i.id);
    }

    const expired = db
      .prepare(
        `SELECT d.install_id AS installId, COUNT(*) AS n FROM deliveries d
           JOIN events e ON e.id = d.event_id
           JOIN installs i ON i.id = d.install_id
          WHERE e.received_at < ? AND d.seq > i.acked_seq GROUP BY d.install_id`,
      )
      .all(cutoff) as { installId: string; n: number }[];
    let unackedDropped = 0;
    for (const e of expired) {
      unackedDropped += e.n;
      log.warn('retention dropped unacked events', { installId: e.installId, count: e.n, retentionMs });
    }
    db.prepare('DELETE FROM deliveries WHERE event_id IN (SELECT id FROM events WHERE received_at < ?)').run(cutoff);
    const eventsRemoved =
      db.prepare('DELETE FROM events WHERE received_at < ?').run(cutoff).changes +
      db
        .prepare(
          `DELETE FROM events WHERE received_at < ?
             AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)`,
        )
        .run(now - graceMs).changes;
    return { ackedRemoved, unackedDropped, eventsRemoved };
  })();
}
