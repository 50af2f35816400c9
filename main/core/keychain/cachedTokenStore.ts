import type { TokenStore } from '../ports';

/**
 * Keeps tokens read from the keychain in memory for the life of the process, so the lead fetch hot
 * path does not make a D-Bus / Keychain round trip per lead. Writes and deletes go to the keychain
 * first and then update the cache; nothing here ever touches disk.
 */
export function cachedTokenStore(inner: TokenStore): TokenStore {
  const cache = new Map<string, string | null>();
  return {
    async get(account) {
      if (cache.has(account)) return cache.get(account)!;
      const value = await inner.get(account);
      cache.set(account, value);
      return value;
    },
    async set(account, secret) {
      await inner.set(account, secret);
      cache.set(account, secret);
    },
    async delete(account) {
      cache.delete(account);
      const removed = await inner.delete(account);
      cache.set(account, null);
      return removed;
    },
    list: () => inner.list(),
  };
}
