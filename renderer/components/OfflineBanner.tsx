import { useEffect, useState } from 'react';
import type { ConnectionStatus } from '../../shared/index';
import { call, getSocketState, onSocketState } from '../api/client';
import { useEvent } from '../hooks/useEvent';

/**
 * Says plainly when new leads cannot arrive: the host process is unreachable (browser mode) or the
 * relay connection is down. Synced data stays usable either way, and the banner says so.
 */
export function OfflineBanner() {
  const [socket, setSocket] = useState(getSocketState());
  const [status, setStatus] = useState<ConnectionStatus | null>(null);
  useEffect(() => {
    const off = onSocketState(setSocket);
    // The socket may have opened between the first render and this subscription.
    setSocket(getSocketState());
    return off;
  }, []);
  useEffect(() => {
    if (socket === 'open') call('connection.status', {}).then(setStatus, () => {});
  }, [socket]);
  useEvent('connection.changed', setStatus);

  let text: string | null = null;
  if (socket !== 'open') text = 'Lead Inbox is not running or not reachable. Reconnecting…';
  else if (status && (status.state === 'offline' || status.state === 'degraded') && status.relayUrl) {
    text = status.message ?? 'Offline: new leads will arrive when the connection is back. Your saved leads are all here.';
  }
  if (!text) return null;
  return (
    <div className="banner banner-offline" role="status" data-testid="offline-banner">
      {text}
    </div>
  );
}
