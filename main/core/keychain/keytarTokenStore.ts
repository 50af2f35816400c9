import keytar from 'keytar';
import type { TokenStore } from '../ports';
import { keychainService } from './accounts';

/**
 * The TokenStore port over the OS keychain (Keychain on macOS, Credential Vault on Windows, Secret
 * Service on Linux). Tests pass their own service name so they never touch a real install's entries.
 */
export function createKeytarTokenStore(service: string = keychainService): TokenStore {
  return {
    get: (account) => keytar.getPassword(service, account),
    set: (account, secret) => keytar.setPassword(service, account, secret),
    delete: (account) => keytar.deletePassword(service, account),
    async list() {
      const creds = await keytar.findCredentials(service);
      return creds.map((c) => c.account);
    },
  };
}
