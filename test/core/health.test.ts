/**
 * Upkeep the owner never sees until it fails: webhook subscriptions Meta dropped are restored, and
 * token expiry (debug_token through the relay) turns into a warning days ahead.
 */
import { afterEach, expect, it } from 'vitest';
import { connectAndEnable, connectAndSync, startStack, waitFor, type Stack } from './harness';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

it('re-subscribes a page whose webhook subscription Meta dropped, on the next reconciliation', async () => {
  stack = await startStack();
  const page = stack.sim.control.createPage({ subscribed: false });
  await connectAndSync(stack);
  const simPage = stack.sim.context.state.pages.get(page.id)!;
  // After hours of failed deliveries Meta removes the app from the page (meta-platform.md §2.4).
  simPage.subscribed.delete(stack.sim.appId);
  await stack.desktop.call('sync.now', {});
  expect(simPage.subscribed.get(stack.sim.appId)).toEqual(
    expect.arrayContaining(['leadgen', 'messages', 'message_reactions']),
  );
});

it('tracks token expiry through debug_token and warns before it ends', async () => {
  stack = await startStack();
  stack.sim.control.createPage({ subscribed: false });
  await stack.desktop.call('settings.update', { sync: { tokenWarningDays: 60 } });
  await connectAndEnable(stack);
  const account = await waitFor(
    async () =>
      (await stack!.desktop.call('accounts.list')).accounts.find(
        (a) => a.tokenExpiresAt !== null && a.warning,
      ),
    'the expiry',
  );
  // A long-lived user token lasts about 60 days (meta-platform.md §1.4).
  const days = (account.tokenExpiresAt! - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(50);
  expect(days).toBeLessThan(61);
  expect(account.warning).toMatch(/ends in \d+ days: reconnect Facebook/);
  await waitFor(
    () => stack!.desktop.notifications.find((n) => n.title === 'Facebook access ends soon'),
    'the warning notification',
  );
});

it('connection.status reports offline when the relay is unreachable and connected when it is back', async () => {
  stack = await startStack({ proxy: true });
  stack.sim.control.createPage({ subscribed: false });
  await connectAndEnable(stack);
  const seen: string[] = [];
  stack.desktop.core.events.on('connection.changed', (s) => seen.push(s.state));
  stack.proxy!.refuse();
  stack.proxy!.cut();
  const down = await waitFor(async () => {
    const s = await stack!.desktop.call('connection.status');
    return s.state === 'offline' || s.state === 'connecting' ? s : null;
  }, 'offline');
  expect(down.message).toMatch(/relay/i);
  stack.proxy!.restore();
  await waitFor(
    async () => (await stack!.desktop.call('connection.status')).state === 'connected',
    'connected again',
  );
  expect(seen).toContain('connected');
});

it('a WhatsApp number whose token Meta revoked is marked needs-reconnect and the owner is told', async () => {
  stack = await startStack({ tuning: { tokenCheckEveryMs: 0 } });
  const wa = stack.sim.control.createWhatsApp({ displayNumbers: ['+1 555 0100 300'] });
  const phoneNumberId = wa.phoneNumberIds[0]!;
  await stack.desktop.call('whatsapp.connect', {
    wabaId: wa.wabaId,
    phoneNumberId,
    token: wa.systemUserToken,
  });
  await stack.desktop.call('sync.now', {});
  expect((await stack.desktop.call('whatsapp.list')).numbers[0]?.status).toBe('ok');

  stack.sim.control.revokeToken({ token: wa.systemUserToken });
  await stack.desktop.call('sync.now', {});
  const [number] = (await stack.desktop.call('whatsapp.list')).numbers;
  expect(number).toMatchObject({ status: 'needs_reconnect', error: { code: 'token_invalid' } });
  expect(number!.error!.fix).toMatch(/paste a new system-user token/);
  expect(stack.desktop.notifications.map((n) => n.title)).toContain('Reconnect WhatsApp');
});
