/**
 * Connect: login through the relay with state + PKCE, pages listed disabled, enable = subscribe +
 * bind + backfill, disable, several accounts, disconnect, broken tokens and their healing,
 * WhatsApp numbers. Tokens are checked in the real keychain under the documented account names.
 */
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import {
  connectAndEnable,
  connectAndSync,
  leadRows,
  startStack,
  waitFor,
  type Browser,
  type Stack,
} from './harness';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const keychainAccountsOf = async (s: Stack) =>
  (await keytar.findCredentials(s.keychainService)).map((c) => c.account).sort();

describe('Facebook connect', () => {
  it('logs in with state + PKCE, keeps tokens in the keychain and lists pages disabled', async () => {
    stack = await startStack();
    const a = stack.sim.control.createPage({ name: 'Alpha Cafe', subscribed: false });
    const b = stack.sim.control.createPage({ name: 'Beta Bikes', subscribed: false });
    const r = await stack.desktop.call('auth.connectFacebook');
    expect(r.outcome).toBe('connected');
    if (r.outcome !== 'connected') return;
    expect(r.pagesFound).toBe(2);
    const dialog = new URL(stack.desktop.opened[0]!);
    expect(dialog.pathname).toBe('/v25.0/dialog/oauth');
    expect(dialog.searchParams.get('code_challenge_method')).toBe('S256');
    expect(dialog.searchParams.get('state')!.length).toBeGreaterThanOrEqual(16);
    expect(dialog.searchParams.get('scope')).toContain('leads_retrieval');
    expect(dialog.searchParams.get('redirect_uri')).toBe(`${stack.relay.url}/oauth/callback`);

    const { pages } = await stack.desktop.call('pages.list');
    expect(pages.map((p) => [p.name, p.enabled])).toEqual([
      ['Alpha Cafe', false],
      ['Beta Bikes', false],
    ]);
    expect(await keychainAccountsOf(stack)).toEqual(
      [`page:${a.id}`, `page:${b.id}`, 'relay:install', `user:${r.account.id}`].sort(),
    );

    await stack.desktop.call('pages.setEnabled', { pageId: a.id, enabled: true });
    const subscribed = stack.sim.context.state.pages.get(a.id)!.subscribed.get(stack.sim.appId);
    expect(subscribed).toEqual(
      expect.arrayContaining(['leadgen', 'messages', 'messaging_postbacks', 'message_reactions', 'messaging_referrals']),
    );
    const after = (await stack.desktop.call('pages.list')).pages.find((p) => p.id === a.id)!;
    expect(after).toMatchObject({ enabled: true, subscribed: true, bound: true });

    await stack.desktop.call('pages.setEnabled', { pageId: a.id, enabled: false });
    expect(stack.sim.context.state.pages.get(a.id)!.subscribed.has(stack.sim.appId)).toBe(false);
    expect((await stack.desktop.call('pages.list')).pages.find((p) => p.id === a.id)).toMatchObject(
      { enabled: false, bound: false },
    );
  });

  it('handles several Facebook accounts, and disconnect removes only that account’s tokens', async () => {
    stack = await startStack();
    const mine = stack.sim.control.createPage({ name: 'Owner Page', subscribed: false });
    const second = stack.sim.control.createUser({ name: 'Sam Partner' });
    const theirs = stack.sim.control.createPage({
      name: 'Partner Page',
      userId: second.id,
      subscribed: false,
    });
    const first = await stack.desktop.call('auth.connectFacebook');
    stack.sim.control.setBrowserUser(second.id);
    const other = await stack.desktop.call('auth.connectFacebook');
    if (first.outcome !== 'connected' || other.outcome !== 'connected')
      throw new Error('login failed');
    expect((await stack.desktop.call('accounts.list')).accounts.map((x) => x.name).sort()).toEqual([
      'Alex Owner',
      'Sam Partner',
    ]);
    await stack.desktop.call('pages.setEnabled', { pageId: theirs.id, enabled: true });
    const lead = stack.sim.control.createLead({ pageId: theirs.id });
    await waitFor(
      () => leadRows(stack!.desktop.core).find((l) => l.id === lead.id && l.state === 'complete'),
      'the partner page lead',
    );

    const res = await stack.desktop.call('auth.disconnect', { accountId: other.account.id });
    expect(res.removedPages).toBe(1);
    expect(await keychainAccountsOf(stack)).toEqual(
      [`page:${mine.id}`, 'relay:install', `user:${first.account.id}`].sort(),
    );
    expect((await stack.desktop.call('pages.list')).pages.map((p) => p.name)).toEqual([
      'Owner Page',
    ]);
    // The owner's data stays: the lead is still in the inbox.
    expect(leadRows(stack.desktop.core).find((l) => l.id === lead.id)?.state).toBe('complete');
  });

  it('says clearly when the owner denies, abandons or cancels the login, and changes nothing', async () => {
    const deny: Browser = async (url) => {
      const html = await (await fetch(url)).text();
      const request = /name="request" value="([^"]+)"/.exec(html)?.[1] ?? '';
      await fetch(`${new URL(url).origin}/dialog/oauth/confirm`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request, decision: 'deny' }).toString(),
        redirect: 'follow',
      });
    };
    stack = await startStack({ browser: deny, tuning: { oauthTimeoutMs: 600 } });
    stack.sim.control.createPage({ subscribed: false });
    stack.sim.control.setOAuthAutoApprove(false);
    const denied = await stack.desktop.call('auth.connectFacebook');
    expect(denied).toMatchObject({ outcome: 'denied' });
    if (denied.outcome === 'denied') expect(denied.message).toMatch(/declined/);

    stack.browser = async () => undefined; // the owner never finishes the login
    const timedOut = await stack.desktop.call('auth.connectFacebook');
    expect(timedOut).toMatchObject({ outcome: 'timeout' });

    const pending = stack.desktop.call('auth.connectFacebook');
    await waitFor(() => stack!.desktop.opened.length === 3, 'the third login to open');
    expect(await stack.desktop.call('auth.cancelConnect')).toEqual({ cancelled: true });
    expect(await pending).toMatchObject({ outcome: 'cancelled' });

    expect((await stack.desktop.call('accounts.list')).accounts).toEqual([]);
    expect(await keychainAccountsOf(stack)).toEqual(['relay:install']);
  });
  it('disconnecting one of two logins that manage the same Page keeps the Page working', async () => {
    stack = await startStack();
    const shared = stack.sim.control.createPage({ name: 'Shared Page', subscribed: false });
    const partner = stack.sim.control.createUser({ name: 'Sam Partner' });
    stack.sim.context.state.users.get(partner.id)!.pages.set(shared.id, ['MANAGE', 'ADVERTISE']);
    const owner = await stack.desktop.call('auth.connectFacebook');
    stack.sim.control.setBrowserUser(partner.id);
    const second = await stack.desktop.call('auth.connectFacebook');
    if (owner.outcome !== 'connected' || second.outcome !== 'connected')
      throw new Error('login failed');
    await stack.desktop.call('pages.setEnabled', { pageId: shared.id, enabled: true });

    // The page was listed last by the partner's login; the owner's login still manages it.
    const res = await stack.desktop.call('auth.disconnect', { accountId: second.account.id });
    expect(res.removedPages).toBe(0);
    expect(await keychainAccountsOf(stack)).toEqual(
      [`page:${shared.id}`, 'relay:install', `user:${owner.account.id}`].sort(),
    );
    const page = (await stack.desktop.call('pages.list')).pages.find((p) => p.id === shared.id);
    expect(page).toMatchObject({ enabled: true, accountId: owner.account.id });
    const lead = stack.sim.control.createLead({ pageId: shared.id });
    await waitFor(
      () => leadRows(stack!.desktop.core).find((l) => l.id === lead.id && l.state === 'complete'),
      'a live lead on the shared page after the partner disconnected',
    );

    // The last login that manages it goes: now the page token goes too.
    expect(
      (await stack.desktop.call('auth.disconnect', { accountId: owner.account.id })).removedPages,
    ).toBe(1);
    expect(await keychainAccountsOf(stack)).toEqual(['relay:install']);
  });
});

describe('broken tokens', () => {
  it('token revoked mid-sync → needs reconnect, nothing lost, reconnect heals and finishes', async () => {
    // One pager, pages of 100 leads 20 ms apart and a commit per page, so the token breaks after
    // the first commit with most pages still to come.
    stack = await startStack({
      tuning: { backfillBatchLeads: 100, backfillWindows: 1, pageSize: 100 },
    });
    const page = stack.sim.control.createPage({ name: 'Big Page', subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id });
    const nowS = Math.floor(stack.sim.control.nowMs() / 1000);
    stack.sim.control.createLeads(form.id, 1_400, { fromS: nowS - 30 * 86_400, toS: nowS - 60 });
    stack.sim.control.injectFault({ match: { path: '*/leads' }, error: { delayMs: 20 }, count: 0 });
    const owner = stack.sim.control.ownerId();
    let revoked = false;
    stack.desktop.core.events.on('sync.progress', (p) => {
      if (p.phase === 'leads' && !revoked) {
        revoked = true;
        stack!.sim.control.revokeToken({ userId: owner, subcode: 460 });
      }
    });
    await connectAndEnable(stack);
    const broken = await waitFor(
      async () =>
        (await stack!.desktop.call('pages.list')).pages.find((p) => p.status === 'needs_reconnect'),
      'needs reconnect',
    );
    expect(broken.error?.message).toMatch(/password changed/);
    expect(broken.error?.fix).toMatch(/Reconnect Facebook/);
    expect((await stack.desktop.call('accounts.list')).accounts[0]!.status).toBe('needs_reconnect');
    const status = await stack.desktop.call('connection.status');
    expect(status.state).toBe('degraded');
    expect(stack.desktop.notifications.some((n) => n.title === 'Reconnect Facebook')).toBe(true);
    const kept = leadRows(stack.desktop.core).length;
    expect(kept).toBeGreaterThan(0); // the first page of results committed before the break stays
    // A lead submitted while the token is broken waits (failed with the reason), it is not lost.
    const live = stack.sim.control.createLead({ formId: form.id });
    await waitFor(
      () => leadRows(stack!.desktop.core).find((l) => l.id === live.id && l.state === 'failed'),
      'the live lead parked',
    );

    const again = await stack.desktop.call('auth.connectFacebook');
    expect(again.outcome).toBe('connected');
    await waitFor(
      () => {
        const rows = leadRows(stack!.desktop.core);
        return rows.length === 1_401 && rows.every((r) => r.state === 'complete');
      },
      'every lead complete after reconnect',
      15_000,
    );
    const healed = (await stack.desktop.call('pages.list')).pages[0]!;
    expect(healed).toMatchObject({ status: 'ok', error: null, enabled: true, bound: true });
  });

  it('a permissions revocation webhook marks the login needs-reconnect right away', async () => {
    stack = await startStack();
    const page = stack.sim.control.createPage({ subscribed: false });
    await connectAndSync(stack);
    const banner: { state: string; needsReconnect?: number }[] = [];
    stack.desktop.core.events.on('connection.changed', (c) => banner.push(c));
    stack.sim.control.revokePermission(stack.sim.control.ownerId(), 'leads_retrieval');
    const acc = await waitFor(
      async () =>
        (await stack!.desktop.call('accounts.list')).accounts.find(
          (a) => a.status === 'needs_reconnect',
        ),
      'the account flagged',
    );
    expect(acc.error?.code).toBe('deauthorized');
    // The banner says so without waiting for the next relay event.
    expect(banner.at(-1)).toMatchObject({ state: 'degraded', needsReconnect: 1 });
    expect(
      (await stack.desktop.call('pages.list')).pages.find((p) => p.id === page.id)?.status,
    ).toBe('needs_reconnect');
  });
});

describe('WhatsApp connect', () => {
  it('validates the pasted token against the number before saving anything', async () => {
    stack = await startStack();
    const wa = stack.sim.control.createWhatsApp({ displayNumbers: ['+1 555 0100 200'] });
    const phoneNumberId = wa.phoneNumberIds[0]!;
    const bad = await stack.desktop.core.dispatch('whatsapp.connect', {
      wabaId: wa.wabaId,
      phoneNumberId,
      token: 'EAAB' + 'x'.repeat(40),
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await stack.desktop.call('whatsapp.list')).numbers).toEqual([]);
    expect(await keychainAccountsOf(stack)).not.toContain(`whatsapp:${phoneNumberId}`);

    const wrongWaba = await stack.desktop.core.dispatch('whatsapp.connect', {
      wabaId: '999999999',
      phoneNumberId,
      token: wa.systemUserToken,
    });
    expect(wrongWaba.ok).toBe(false);

    const n = await stack.desktop.call('whatsapp.connect', {
      wabaId: wa.wabaId,
      phoneNumberId,
      token: wa.systemUserToken,
    });
    expect(n).toMatchObject({
      phoneNumberId,
      wabaId: wa.wabaId,
      displayPhoneNumber: expect.stringMatching(/555.?010.?0200/),
      status: 'ok',
      bound: true,
    });
    expect(await keytar.getPassword(stack.keychainService, `whatsapp:${phoneNumberId}`)).toBe(
      wa.systemUserToken,
    );

    expect(await stack.desktop.call('whatsapp.disconnect', { phoneNumberId })).toEqual({
      removed: true,
    });
    expect(await keytar.getPassword(stack.keychainService, `whatsapp:${phoneNumberId}`)).toBeNull();
    expect((await stack.desktop.call('whatsapp.list')).numbers).toEqual([]);
  });
});
