import { useState } from 'react';
import { call, errorText } from '../../api/client';
import { formatAgo, formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';

/** Each Facebook page with its forms: enable/disable, last sync, problems with their fix. */
export function PagesPage() {
  const pages = useCall('pages.list', {}, ['pages.changed', 'sync.progress']);
  const [message, setMessage] = useState<string | null>(null);
  const act = (work: Promise<unknown>, done: string) =>
    work.then(
      () => {
        setMessage(done);
        pages.reload();
      },
      (e: unknown) => setMessage(errorText(e)),
    );
  const list = pages.data?.pages ?? [];
  return (
    <section className="page" aria-labelledby="pages-title">
      <div className="page-head">
        <h1 id="pages-title">Pages</h1>
        <button type="button" onClick={() => void act(call('sync.now', {}), 'Sync finished.')}>
          Sync now
        </button>
      </div>
      <p role="status">{message}</p>
      {pages.error && <p className="error" role="alert">{pages.error}</p>}
      {pages.data && list.length === 0 && (
        <div className="empty" data-testid="pages-empty">
          <p>No Facebook pages yet. Connect Facebook to choose the pages whose leads you want here.</p>
          <button type="button" onClick={() => void act(call('auth.connectFacebook', {}), 'Facebook connected.')}>
            Connect Facebook
          </button>
        </div>
      )}
      <ul className="page-list">
        {list.map((p) => (
          <li key={p.id} className="page-card">
            <div className="page-card-head">
              <h2>{p.name}</h2>
              <label className="inline">
                <input
                  type="checkbox"
                  checked={p.enabled}
                  onChange={(e) => void act(call('pages.setEnabled', { pageId: p.id, enabled: e.target.checked }), e.target.checked ? `${p.name} enabled.` : `${p.name} disabled.`)}
                />
                Receive leads from this page
              </label>
            </div>
            <p className="muted">
              {formatNumber(p.leadsCount)} leads · last sync {formatAgo(p.lastSyncAt)} · {p.status}
              {p.pendingLeads > 0 && ` · ${formatNumber(p.pendingLeads)} being fetched`}
            </p>
            {p.error && (
              <div className="problem" role="alert">
                {p.error.message}{' '}
                {p.status === 'needs_reconnect' || p.error.fix ? (
                  <button type="button" onClick={() => void act(call('auth.connectFacebook', {}), 'Reconnected.')}>
                    {p.error.fix ?? 'Reconnect'}
                  </button>
                ) : null}
              </div>
            )}
            {p.forms.length > 0 && (
              <table>
                <caption className="visually-hidden">Forms of {p.name}</caption>
                <thead>
                  <tr><th scope="col">Form</th><th scope="col">Status</th><th scope="col">Leads</th><th scope="col">Last sync</th></tr>
                </thead>
                <tbody>
                  {p.forms.map((f) => (
                    <tr key={f.id}>
                      <th scope="row"><a href="#/leads">{f.name}</a></th>
                      <td>{f.status}</td>
                      <td>{f.leadsCount == null ? '—' : formatNumber(f.leadsCount)}</td>
                      <td>{formatAgo(f.lastSyncAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
