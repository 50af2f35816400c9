/** Counters exposed on GET /metrics (Prometheus text format). Counts only, no ids of people. */
export class Metrics {
  received = 0;
  rejected: Record<string, number> = {};
  stored = 0;
  delivered = 0;
  acked = 0;
  droppedRetention = 0;
  rateLimited = 0;

  reject(reason: string): void {
    this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }
}

export interface InstallGauge {
  installId: string;
  connected: boolean;
  /** Stored events not yet acked. */
  backlog: number;
  /** Seconds since the oldest unacked event was received (0 when none). */
  lagSeconds: number;
}

export function renderMetrics(
  m: Metrics,
  gauges: { connectedInstalls: number; bufferedBytes: number; queueDepth: number; eventsOnDisk: number; deliveriesOnDisk: number },
  installs: InstallGauge[],
): string {
  const lines: string[] = [];
  const counter = (name: string, help: string, value: number, labels = '') => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name}${labels} ${value}`);
  };
  const gauge = (name: string, help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
  counter('relay_webhooks_received_total', 'Webhook POSTs received.', m.received);
  lines.push('# HELP relay_webhooks_rejected_total Webhook POSTs rejected, by reason.');
  lines.push('# TYPE relay_webhooks_rejected_total counter');
  for (const [reason, n] of Object.entries(m.rejected)) lines.push(`relay_webhooks_rejected_total{reason="${reason}"} ${n}`);
  counter('relay_events_stored_total', 'Events (entry[] elements) committed.', m.stored);
  counter('relay_events_delivered_total', 'Event frames sent to installs.', m.delivered);
  counter('relay_events_acked_total', 'Events acked by installs.', m.acked);
  counter('relay_events_dropped_retention_total', 'Unacked deliveries dropped by retention.', m.droppedRetention);
  counter('relay_rate_limited_total', 'Requests refused by the per-IP rate limit.', m.rateLimited);
  gauge('relay_connected_installs', 'Installs with an open stream.');
  lines.push(`relay_connected_installs ${gauges.connectedInstalls}`);
  gauge('relay_stream_buffered_bytes', 'Bytes waiting in relay memory for slow sockets.');
  lines.push(`relay_stream_buffered_bytes ${gauges.bufferedBytes}`);
  gauge('relay_commit_queue_depth', 'Webhook requests waiting for the next group commit.');
  lines.push(`relay_commit_queue_depth ${gauges.queueDepth}`);
  gauge('relay_events_on_disk', 'Events held on disk.');
  lines.push(`relay_events_on_disk ${gauges.eventsOnDisk}`);
  gauge('relay_deliveries_on_disk', 'Per-install deliveries held on disk (acked within grace + unacked).');
  lines.push(`relay_deliveries_on_disk ${gauges.deliveriesOnDisk}`);
  gauge('relay_install_backlog', 'Stored events not yet acked, per install.');
  for (const g of installs) lines.push(`relay_install_backlog{install="${g.installId}"} ${g.backlog}`);
  gauge('relay_install_lag_seconds', 'Age of the oldest unacked event, per install.');
  for (const g of installs) lines.push(`relay_install_lag_seconds{install="${g.installId}"} ${g.lagSeconds.toFixed(3)}`);
  return lines.join('\n') + '\n';
}
