import type { ConnectionStatus } from '../../../shared/index';
import type { RelayStream } from '../relayClient/stream';
import type { Db } from '../store/db';
import { countLeadsByState } from '../store/leadWrites';
import { stmt } from '../store/statements';
import type { SyncEngine } from './syncEngine';

/**
 * One overall state for the banner: connected (relay stream up, every enabled page healthy),
 * degraded (stream up but a page/account needs attention, or a relay is missing while Facebook
 * works), connecting, or offline.
 */
export function connectionStatus(deps: {
  db: Db;
  stream: RelayStream;
  sync: SyncEngine;
  relayUrl: string | null;
}): ConnectionStatus {
  const s = deps.stream.current;
  const counts = stmt(
    deps.db,
    `SELECT (SELECT count(*) FROM accounts) AS accounts,
              (SELECT count(*) FROM accounts WHERE status = 'needs_reconnect') +
              (SELECT count(*) FROM pages WHERE enabled = 1 AND status = 'needs_reconnect'
                 AND account_id NOT IN (SELECT id FROM accounts WHERE status = 'needs_reconnect')) AS reconnect,
              (SELECT count(*) FROM pages WHERE enabled = 1 AND status = 'error') AS errors`,
  ).get() as { accounts: number; reconnect: number; errors: number };
  let state: ConnectionStatus['state'] =
    s.state === 'connected' ? 'connected' : s.state === 'connecting' ? 'connecting' : 'offline';
  let message: string | null = null;
  if (!deps.relayUrl) {
    state = counts.accounts > 0 ? 'degraded' : 'offline';
    message =
      'No relay is configured: leads arrive by periodic sync only. Set the relay URL in Settings.';
  } else if (s.state !== 'connected') {
    message = s.lastError
      ? `Not connected to the relay: ${s.lastError}`
      : 'Connecting to the relay…';
  }
  if (counts.reconnect > 0) {
    if (state === 'connected') state = 'degraded';
    message = `${counts.reconnect === 1 ? 'A Facebook login or Page needs' : `${counts.reconnect} Facebook logins or Pages need`} reconnecting (Settings → Accounts).`;
  } else if (counts.errors > 0 && state === 'connected') {
    state = 'degraded';
    message = `${counts.errors === 1 ? 'A Page has' : `${counts.errors} Pages have`} sync problems; see Settings → Pages.`;
  }
  return {
    state,
    relayUrl: deps.relayUrl,
    connectedSince: s.connectedSince,
    lastEventAt: s.lastEventAt,
    backlog: s.backlog,
    pendingLeads: countLeadsByState(deps.db, 'pending'),
    facebookConnected: counts.accounts > 0,
    message,
    lastReconcileAt: deps.sync.lastReconcileAt,
    nextReconcileAt: deps.sync.nextReconcileAt,
    needsReconnect: counts.reconnect,
  };
}
