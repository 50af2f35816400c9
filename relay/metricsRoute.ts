import type { RelayDb } from './db';
import type { EventLog } from './eventLog';
import type { InstallRegistry } from './installs';
import { renderMetrics, type InstallGauge, type Metrics } from './metrics';
import type { StreamHub } from './stream';

/** Gathers the gauges for GET /metrics: disk depth from SQLite, lag per install with a backlog. */
export function collectMetrics(
  db: RelayDb,
  metrics: Metrics,
  installs: InstallRegistry,
  hub: StreamHub,
  eventLog: EventLog,
  now: number,
): string {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  const oldestUnacked = db.prepare(
    `SELECT e.received_at AS at FROM deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.install_id = ? AND d.seq > ? ORDER BY d.seq LIMIT 1`,
  );
  const gauges: InstallGauge[] = [];
  for (const id of installs.ids()) {
    const backlog = installs.head(id) - installs.acked(id);
    if (backlog <= 0 && hub.sentSeq(id) === null) continue;
    const row = backlog > 0 ? (oldestUnacked.get(id, installs.acked(id)) as { at: number } | undefined) : undefined;
    gauges.push({
      installId: id,
      connected: hub.sentSeq(id) !== null,
      backlog: Math.max(0, backlog),
      lagSeconds: row ? (now - row.at) / 1000 : 0,
    });
  }
  return renderMetrics(
    metrics,
    {
      connectedInstalls: hub.connected,
      bufferedBytes: hub.bufferedBytes,
      queueDepth: eventLog.queueDepth,
      eventsOnDisk: count('SELECT COUNT(*) AS n FROM events'),
      deliveriesOnDisk: count('SELECT COUNT(*) AS n FROM deliveries'),
    },
    gauges,
  );
}
