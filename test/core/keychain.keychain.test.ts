/** The TokenStore over the real OS keychain (gnome-keyring under a private D-Bus session in CI). */
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import { keychainAccounts, keychainService } from '../../main/core/keychain/accounts';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import { scanForSecrets } from '../secrets/scan';
import { connectAndEnable, startStack, type Stack } from './harness';

const service = `Lead Inbox keychain test ${process.pid}`;

describe('keytar token store', () => {
  let stack: Stack | null = null;
  afterEach(async () => {
    for (const c of await keytar.findCredentials(service))
      await keytar.deletePassword(service, c.account);
    await stack?.close();
    stack = null;
  });

  it('reads back what it stored, lists it, and forgets it on delete', async () => {
    expect(keychainService).toBe('Lead Inbox');
    const store = createKeytarTokenStore(service);
    const token = 'EAAG' + 'k'.repeat(60);
    await store.set(keychainAccounts.page('123'), token);
    await store.set(keychainAccounts.user('42'), 'EAAU' + 'u'.repeat(60));
    expect(await store.get('page:123')).toBe(token);
    expect((await store.list()).sort()).toEqual(['page:123', 'user:42']);
    // Another process sees the same entry: it lives in the OS keychain, not in memory.
    expect(await keytar.getPassword(service, 'page:123')).toBe(token);
    expect(await store.delete('page:123')).toBe(true);
    expect(await store.get('page:123')).toBeNull();
  });

  it('tokens from a real connect are in the keychain and nowhere in the data folder', async () => {
    stack = await startStack();
    const page = stack.sim.control.createPage({ subscribed: false });
    await connectAndEnable(stack);
    const pageToken = await keytar.getPassword(stack.keychainService, `page:${page.id}`);
    expect(pageToken).toBeTruthy();
    expect(stack.sim.context.state.tokens.has(pageToken!)).toBe(true);
    await stack.desktop.stop();
    const { hits, filesScanned } = scanForSecrets(
      [stack.dataDir],
      [{ label: 'page token', value: pageToken! }],
    );
    expect(filesScanned).toBeGreaterThanOrEqual(1);
    expect(hits).toEqual([]);
  });
});
