import type { EventName, HostServerFrame, LeadInboxBridge, Result } from '../../shared/index';

export type SocketState = 'connecting' | 'open' | 'closed';

/** Read once per tab: the host puts the per-run token in the URL; a reload finds it in the session. */
export function hostToken(): string | null {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('leadInbox.token', fromUrl);
    return fromUrl;
  }
  return sessionStorage.getItem('leadInbox.token');
}

/**
 * The browser twin of the Electron preload: the same call/on bridge over the host's loopback
 * WebSocket. Calls made while the socket is down wait for it (up to a limit) instead of failing
 * at once, and the socket reconnects with backoff, so a host restart is a blip, not an error.
 */
export function createHostBridge(token: string, onState: (s: SocketState) => void): LeadInboxBridge {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api?token=${encodeURIComponent(token)}`;
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; frame: string; timer: number }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let nextId = 1;
  let retryMs = 250;

  const connect = () => {
    onState('connecting');
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      retryMs = 250;
      onState('open');
      for (const p of pending.values()) ws.send(p.frame);
    };
    ws.onmessage = (e) => {
      const frame = JSON.parse(String(e.data)) as HostServerFrame;
      if ('id' in frame) {
        const p = pending.get(frame.id);
        if (!p) return;
        pending.delete(frame.id);
        clearTimeout(p.timer);
        p.resolve(frame.result);
      } else {
        for (const l of listeners.get(frame.event) ?? []) l(frame.payload);
      }
    };
    ws.onclose = () => {
      socket = null;
      onState('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  };
  connect();

  return {
    call(method, input) {
      const id = nextId++;
      const frame = JSON.stringify({ id, method, input });
      return new Promise((resolve) => {
        const timer = window.setTimeout(() => {
          pending.delete(id);
          resolve({ ok: false, error: { code: 'offline', message: 'Lead Inbox is not reachable. Is it still running?' } });
        }, 30_000);
        pending.set(id, { resolve, frame, timer });
        if (socket?.readyState === WebSocket.OPEN) socket.send(frame);
      });
    },
    on(event: EventName, listener) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
  };
}
