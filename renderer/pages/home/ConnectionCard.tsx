import { useEffect, useState } from 'react';
import type { ConnectionStatus } from '../../../shared/index';
import { call } from '../../api/client';
import { formatAgo, formatDateTime, formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';
import { useEvent } from '../../hooks/useEvent';

const stateLabel: Record<ConnectionStatus['state'], string> = {
  connected: 'Connected',
  connecting: 'Connecting…',
  offline: 'Offline',
  degraded: 'Connected with problems',
};

/** Relay connection and per-page sync at a glance, live. */
export function ConnectionCard() {
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  useEffect(() => {
    call('connection.status', {}).then(setStatus, () => {});
  }, []);
  useEvent('connection.changed', setStatus);
  const pages = useCall('pages.list', {}, ['pages.changed', 'sync.progress']);
  return (
    <section className="connection" aria-labelledby="connection-title">
      <h2 id="connection-title">Connection</h2>
      {status ? (
        <dl className="facts">
          <div><dt>State</dt><dd data-testid="connection-state">{stateLabel[status.state]}</dd></div>
          <div><dt>Connected since</dt><dd>{formatDateTime(status.connectedSince)}</dd></div>
          <div><dt>Last event</dt><dd>{formatAgo(status.lastEventAt)}</dd></div>
          <div><dt>Waiting at the relay</dt><dd>{formatNumber(status.backlog)}</dd></div>
          <div><dt>Leads being fetched</dt><dd>{formatNumber(status.pendingLeads)}</dd></div>
        </dl>
      ) : (
        <p className="muted">Checking…</p>
      )}
      {status?.message && <p className="muted">{status.message}</p>}
      {pages.data && pages.data.pages.length > 0 && (
        <table className="sync-table">
          <caption>Last sync per page</caption>
          <thead>
            <tr><th scope="col">Page</th><th scope="col">Last sync</th><th scope="col">State</th></tr>
          </thead>
          <tbody>
            {pages.data.pages.filter((p) => p.enabled).map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{formatAgo(p.lastSyncAt)}</td>
                <td>{p.error ? p.error.message : p.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
