/**
 * For `npm run demo` in browser mode: drives the Node host over its own API socket the way the UI
 * would (Connect Facebook, enable every page, connect the WhatsApp number), and plays the owner's
 * browser for the simulated login (the simulator auto-approves; we follow its redirect to the relay).
 */
import { WebSocket } from 'ws';
import type { HostClientFrame, HostServerFrame } from '../../shared/bridge';

export interface DemoAssets {
  whatsapp: { wabaId: string; phoneNumberId: string; systemUserToken: string } | null;
}

/** Completes a login URL the app asked to open, if it points at the simulator's dialog. */
export async function completeLogin(url: string, simUrl: string): Promise<void> {
  if (!url.startsWith(simUrl)) return;
  await fetch(url, { redirect: 'follow' }).catch(() => undefined);
}

/** The host's API socket, spoken the way the renderer's host transport speaks it. */
export async function hostApiClient(appUrl: string) {
  const u = new URL(appUrl);
  const ws = new WebSocket(`ws://${u.host}/api?token=${u.searchParams.get('token') ?? ''}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<
    number,
    (r: { ok: boolean; value?: unknown; error?: { message: string } }) => void
  >();
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString()) as HostServerFrame;
    if ('id' in frame) pending.get(frame.id)?.(frame.result as never);
  });
  return {
    call<T>(method: string, input: unknown = {}): Promise<T> {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (r) =>
          r.ok
            ? resolve(r.value as T)
            : reject(new Error(`${method}: ${r.error?.message ?? 'failed'}`)),
        );
        ws.send(JSON.stringify({ id, method, input } satisfies HostClientFrame));
      });
    },
    close: () => ws.close(),
  };
}

export async function connectThroughHost(appUrl: string, assets: DemoAssets): Promise<string> {
  const client = await hostApiClient(appUrl);
  const call = client.call.bind(client);
  try {
    const result = await call<{ outcome: string }>('auth.connectFacebook');
    if (result.outcome !== 'connected') return `Facebook login ended: ${result.outcome}`;
    const { pages } = await call<{ pages: { id: string }[] }>('pages.list');
    for (const p of pages) await call('pages.setEnabled', { pageId: p.id, enabled: true });
    let wa = '';
    if (assets.whatsapp) {
      await call('whatsapp.connect', {
        wabaId: assets.whatsapp.wabaId,
        phoneNumberId: assets.whatsapp.phoneNumberId,
        token: assets.whatsapp.systemUserToken,
      });
      wa = ' and the WhatsApp number';
    }
    return `Connected through the simulated login: ${pages.length} pages${wa} enabled.`;
  } finally {
    client.close();
  }
}
