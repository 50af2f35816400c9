/**
 * Tokens never reach the renderer. The renderer sees exactly what crosses the host's API socket
 * (web mode) or IPC (Electron, same dispatch and same events): every call's result and every event
 * the core publishes. This test records every frame a renderer connected to the real Node host
 * receives during a full session — login, pages enabled, backfill, live leads and messages, a
 * WhatsApp number and a Conversions API system-user token pasted, a token revoked by Meta — and
 * scans them for every token the simulator issued, every secret in the keychain and the app secret.
 */
import keytar from 'keytar';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHost, type Host } from '../../main/host/server';
import type { HostServerFrame } from '../../shared/bridge';
import type { Result } from '../../shared/errors';
import { appSecret, leadRows, startStack, waitFor, type Stack } from '../core/harness';
import { scanForSecrets, type Secret } from './scan';

let stack: Stack | null = null;
let host: Host | null = null;
let dir: string | null = null;
afterEach(async () => {
  await host?.close();
  await stack?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  stack = host = dir = null;
});

/** A renderer's view of the host: it sends calls and keeps every frame it is sent, as text. */
async function renderer(h: Host) {
  const ws = new WebSocket(`${h.origin.replace('http', 'ws')}/api?token=${h.token}`, {
    headers: { Origin: h.origin },
  });
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)));
  const frames: string[] = [];
  const pending = new Map<number, (r: Result<unknown>) => void>();
  ws.on('message', (data) => {
    const text = data.toString();
    frames.push(text);
    const frame = JSON.parse(text) as HostServerFrame;
    if ('id' in frame) pending.get(frame.id)?.(frame.result);
  });
  let next = 1;
  const call = (method: string, input: unknown = {}) =>
    new Promise<Result<unknown>>((ok) => {
      const id = next++;
      pending.set(id, ok);
      ws.send(JSON.stringify({ id, method, input }));
    });
  return { frames, call, close: () => ws.close() };
}

it(
  'no token or secret is in any call result or event the renderer receives',
  { timeout: 60_000 },
  async () => {
    stack = await startStack();
    dir = mkdtempSync(join(tmpdir(), 'lead-inbox-renderer-secrets-'));
    mkdirSync(join(dir, 'static'));
    writeFileSync(join(dir, 'static', 'index.html'), '<!doctype html><title>Lead Inbox</title>');
    host = await startHost({ core: stack.desktop.core, port: 0, staticDir: join(dir, 'static') });
    const ui = await renderer(host);
    const sim = stack.sim.control;

    const page = sim.createPage({ name: 'Secret Salon', subscribed: false });
    const form = sim.createForm({ pageId: page.id, name: 'Appointments' });
    sim.createLeads(form.id, 5, { fromS: Math.floor(sim.nowMs() / 1000) - 86_400 });

    // Everything the owner does goes through the renderer's socket.
    const login = await ui.call('auth.connectFacebook');
    expect(login).toMatchObject({ ok: true, value: { outcome: 'connected' } });
    const listed = (await ui.call('pages.list')) as {
      ok: true;
      value: { pages: { id: string }[] };
    };
    for (const p of listed.value.pages)
      expect((await ui.call('pages.setEnabled', { pageId: p.id, enabled: true })).ok).toBe(true);
    await waitFor(() => leadRows(stack!.desktop.core).length === 5, 'the backfill');

    const live = sim.createLead({ formId: form.id });
    sim.inboundMessage({ pageId: page.id, text: 'Do you have time on Friday?' });
    await waitFor(
      () => leadRows(stack!.desktop.core).find((r) => r.id === live.id && r.state === 'complete'),
      'the live lead',
    );

    const wa = sim.createWhatsApp();
    const waConnected = await ui.call('whatsapp.connect', {
      wabaId: wa.wabaId,
      phoneNumberId: wa.phoneNumberIds[0]!,
      token: wa.systemUserToken,
    });
    expect(waConnected.ok, JSON.stringify(waConnected)).toBe(true);
    // A pasted token Meta refuses: the error the renderer gets must not echo it.
    const refused = await ui.call('whatsapp.connect', {
      wabaId: wa.wabaId,
      phoneNumberId: wa.phoneNumberIds[0]!,
      token: 'EAAwrong' + wa.systemUserToken.slice(8),
    });
    expect(refused.ok).toBe(false);
    sim.whatsappInbound({ phoneNumberId: wa.phoneNumberIds[0]!, text: 'Is the offer still on?' });

    const capiToken = 'EAAcapi' + wa.systemUserToken.slice(7);
    expect((await ui.call('conversions.updateSettings', { datasetId: '1234567890' })).ok).toBe(
      true,
    );
    expect((await ui.call('conversions.setSystemToken', { token: capiToken })).ok).toBe(true);
    expect(await ui.call('conversions.systemToken')).toMatchObject({ value: { present: true } });

    // Meta revokes the login: errors and needs-reconnect states flow to the renderer.
    sim.revokeToken({ userId: sim.ownerId(), subcode: 467 });
    await ui.call('sync.now', {});
    await waitFor(async () => {
      const s = (await ui.call('connection.status')) as { ok: true; value: { state: string } };
      return s.value.state !== 'connected';
    }, 'the broken login reported');

    // What the screens read.
    for (const m of [
      'connection.status',
      'accounts.list',
      'whatsapp.list',
      'pages.list',
      'threads.list',
      'threads.unreadCounts',
      'leads.list',
      'settings.get',
      'conversions.getSettings',
      'conversions.systemToken',
      'conversions.health',
      'data.info',
      'home.stats',
    ]) {
      await ui.call(m);
    }
    const lead = await ui.call('leads.get', { id: live.id });
    expect(lead.ok).toBe(true);
    ui.close();

    const secrets: Secret[] = [
      { label: 'app secret', value: appSecret },
      { label: 'WhatsApp system-user token', value: wa.systemUserToken },
      { label: 'Conversions API system-user token', value: capiToken },
      ...[...stack.sim.context.state.tokens.keys()].map((value, i) => ({
        label: `sim token #${i}`,
        value,
      })),
    ];
    const keychain = await keytar.findCredentials(stack.keychainService);
    // The keychain really held the tokens the session used, so the scan looks for real strings.
    expect(keychain.some((c) => c.account.includes(page.id))).toBe(true);
    for (const c of keychain) {
      // The relay bearer is `<installId>.<secret>`; the install id is public.
      const value =
        c.account.startsWith('relay') && c.password.includes('.')
          ? c.password.slice(c.password.indexOf('.') + 1)
          : c.password;
      secrets.push({ label: `keychain ${c.account.split(':')[0]}`, value });
    }

    expect(ui.frames.length).toBeGreaterThan(30);
    const seen = join(dir, 'renderer-frames.jsonl');
    writeFileSync(seen, ui.frames.join('\n'));
    const { hits } = scanForSecrets([seen], secrets);
    expect(hits.map((h) => `${h.label} (${h.form})`)).toEqual([]);
  },
);
