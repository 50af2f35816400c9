/**
 * After a full run — connect through the simulated Facebook login, enable a page, receive leads
 * (fetched with the page token) and Messenger / WhatsApp messages, connect a WhatsApp number with a
 * system-user token — no token and no app secret may sit anywhere on disk: not in the desktop's
 * SQLite files (WAL included), logs, settings, nor in the relay's database files or logs.
 * Tokens belong in the OS keychain only (checked too: they are there, so the scan looks for the
 * right strings).
 */
import keytar from 'keytar';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  chaosAppSecret,
  chaosVerifyToken,
  connectAndEnableAll,
  startChaosStack,
  waitFor,
  type ChaosStack,
} from '../chaos/stack';
import { listFiles, scanForSecrets, type Secret } from './scan';

let s: ChaosStack | null = null;
afterAll(async () => {
  await s?.close();
});

describe('secrets never reach disk', () => {
  it('the scanner finds a planted secret in every form it looks for (so a clean scan means something)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lead-inbox-scan-self-'));
    try {
      const secret = 'TEST-ONLY-fake-page-token-value-1234567890abcdef'; // not a Meta token
      writeFileSync(join(dir, 'a.log'), `{"msg":"oops","token":"${secret.slice(10, 40)}"}`);
      writeFileSync(
        join(dir, 'b.bin'),
        Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(secret, 'utf16le')]),
      );
      writeFileSync(join(dir, 'c.txt'), `access_token=${encodeURIComponent(secret)}&x=1`);
      const { hits } = scanForSecrets([dir], [{ label: 'planted', value: secret }]);
      expect(new Set(hits.map((h) => h.file.split('/').pop()))).toEqual(
        new Set(['a.log', 'b.bin', 'c.txt']),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it(
    'after a full flow: zero hits for every token and the app secret in data, logs, settings and the relay database',
    { timeout: 120_000 },
    async () => {
      s = await startChaosStack({ relay: 'process' });
      const stack = s;
      const sim = stack.sim.control;
      const page = sim.createPage({ name: 'Secret Salon', subscribed: false });
      const form = sim.createForm({ pageId: page.id, name: 'Appointments' });
      await connectAndEnableAll(stack.desktop);

      // Leads (live, fetched with the page token) and Messenger messages.
      const leadIds = Array.from({ length: 5 }, () => sim.createLead({ formId: form.id }).id);
      const mids = Array.from(
        { length: 3 },
        () =>
          sim.inboundMessage({ pageId: page.id, text: 'Hello, do you have time on Friday?' }).mid,
      );
      // WhatsApp with a system-user token pasted in settings.
      const wa = sim.seedWhatsApp(sim.ownerId());
      const connected = await stack.desktop.call('whatsapp.connect', {
        wabaId: wa.wabaId,
        phoneNumberId: wa.phoneNumberId,
        token: wa.systemUserToken,
      });
      expect(connected.ok, JSON.stringify(connected)).toBe(true);
      const wamid = sim.whatsappInbound({
        phoneNumberId: wa.phoneNumberId,
        text: 'Is the offer still on?',
      }).wamid;

      await waitFor(() => {
        const rows = stack.leads();
        return leadIds.every((id) => rows.find((r) => r.id === id)?.state === 'complete');
      }, 'the leads complete');
      await waitFor(async () => {
        const r = await stack.desktop.call<{ threads: unknown[] }>('threads.list', {});
        return r.ok && r.value.threads.length >= 2;
      }, 'the Messenger and WhatsApp threads stored');
      void mids;
      void wamid;

      // Graceful stop so everything buffered reaches disk before we look.
      await stack.desktop.stop();
      await stack.relay.close();

      const secrets: Secret[] = [
        { label: 'app secret', value: chaosAppSecret },
        { label: 'webhook verify token', value: chaosVerifyToken },
        { label: 'WhatsApp system-user token', value: wa.systemUserToken },
        ...[...stack.sim.context.state.tokens.values()].map((t) => ({
          label: `${t.kind} token of ${t.userId ?? 'app'}`,
          value: t.value,
        })),
      ];
      const keychain = await keytar.findCredentials(stack.keychainService);
      for (const c of keychain) {
        // The relay bearer is `<installId>.<secret>`: the install id is public (kv, relay rows,
        // logs), the part after the dot is the secret.
        const value =
          c.account.startsWith('relay') && c.password.includes('.')
            ? c.password.slice(c.password.indexOf('.') + 1)
            : c.password;
        secrets.push({ label: `keychain ${c.account.split(':')[0]} secret`, value });
      }

      // The keychain really holds the page token and the relay install token: the strings we look for were used.
      const accounts = keychain.map((c) => c.account);
      expect(accounts.some((a) => a.includes(page.id))).toBe(true);
      expect(accounts.some((a) => a.startsWith('relay'))).toBe(true);

      const files = listFiles(stack.root);
      expect(files.some((f) => f.endsWith('lead-inbox.sqlite'))).toBe(true);
      expect(files.some((f) => f.endsWith('relay.sqlite'))).toBe(true);
      expect(files.some((f) => f.includes('logs'))).toBe(true);
      expect(files.some((f) => f.endsWith('relay.log'))).toBe(true);
      const result = scanForSecrets([stack.root], secrets);
      expect(result.bytesScanned).toBeGreaterThan(0);
      expect(
        result.hits.map((h) => `${h.label} (${h.form}) in ${h.file.slice(stack.root.length)}`),
      ).toEqual([]);
    },
  );
});
