import { createHash, randomBytes } from 'node:crypto';

/** A login attempt's secrets: `state` (CSRF, checked by the relay) and the PKCE pair (RFC 7636, S256). */
export interface LoginSecrets {
  state: string;
  verifier: string;
  challenge: string;
}

export function newLoginSecrets(): LoginSecrets {
  const state = randomBytes(24).toString('base64url');
  // 48 bytes → 64 chars of [A-Za-z0-9-_], inside the 43–128 range Meta documents.
  const verifier = randomBytes(48).toString('base64url');
  return { state, verifier, challenge: pkceChallenge(verifier) };
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}
