/**
 * After a busy session (connect, enable, backfill, live leads, a broken token, a rate limit, a
 * WhatsApp number, disconnect) no token string is anywhere in the data folder: SQLite (with WAL),
 * settings.json, logs. Tokens are collected from the simulator (every token it issued), the
 * keychain (relay install bearer) and what the owner pasted.
 */
import keytar from 'keytar';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { scanForSecrets, type Secret } from '../secrets/scan';
import { connectAndEnable, leadRows, startStack, waitFor, type Stack } from './harness';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

it('no token string is anywhere in the data directory or the logs', async () => {
  stack = await startStack();
  const page = stack.sim.control.createPage({ name: 'Secret Page', subscribed: false });
  const form = stack.sim.control.createForm({ pageId: page.id });
  stack.sim.control.createLeads(form.id, 50, {
    fromS: Math.floor(stack.sim.control.nowMs() / 1000) - 86_400,
  });
  await connectAndEnable(stack);
  await waitFor(() => leadRows(stack!.desktop.core).length === 50, 'the backfill');
  stack.sim.control.injectFault({
    match: { path: '*', method: 'GET', pageId: page.id },
    error: { code: 17 },
    count: 1,
    regainAccessMinutes: 1,
  });
  const lead = stack.sim.control.createLead({ formId: form.id });
  await waitFor(
    () => leadRows(stack!.desktop.core).find((l) => l.id === lead.id && l.state === 'complete'),
    'the live lead',
  );
  const wa = stack.sim.control.createWhatsApp();
  await stack.desktop.call('whatsapp.connect', {
    wabaId: wa.wabaId,
    phoneNumberId: wa.phoneNumberIds[0]!,
    token: wa.systemUserToken,
  });
  await stack.desktop.call('settings.update', { notifications: { sound: false } });
  const relayBearer = await keytar.getPassword(stack.keychainService, 'relay:install');
  stack.sim.control.revokeToken({ userId: stack.sim.control.ownerId(), subcode: 467 });
  await stack.desktop.call('sync.now', { pageId: page.id });
  await stack.desktop.stop();

  const secrets: Secret[] = [...stack.sim.context.state.tokens.keys()].map((value, i) => ({
    label: `sim token #${i}`,
    value,
  }));
  // The bearer is `<installId>.<secret>`; the id is public (kept in kv), the secret is not.
  secrets.push({
    label: 'relay install secret',
    value: relayBearer!.slice(relayBearer!.lastIndexOf('.') + 1),
  });
  const { hits, filesScanned } = scanForSecrets([stack.dataDir], secrets);
  expect(filesScanned).toBeGreaterThanOrEqual(3); // store, settings.json, log
  expect(hits).toEqual([]);
  // The log did record the session (so the scan looked at real content).
  const log = readFileSync(join(stack.dataDir, 'logs', 'lead-inbox.log'), 'utf8');
  expect(log).toContain('page sync failed');
});
