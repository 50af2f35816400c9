import { createHash } from 'node:crypto';
import { constantTimeEqual } from './verify';

interface Flow {
  installId: string;
  codeChallenge: string;
  createdAt: number;
  code: string | null;
  denied: string | null;
}

export type ClaimOutcome =
  | { status: 'pending' }
  | { status: 'denied'; reason: string }
  | { status: 'unknown' }
  | { status: 'bad_verifier' }
  | { status: 'code'; code: string };

/**
 * Login attempts between `oauth/start` and `oauth/claim`, in memory only: the code is single use
 * and short-lived, and a relay restart just means the owner clicks Connect again. Only the install
 * that started the flow, holding the PKCE verifier, can claim it, and only once.
 */
export class OAuthFlows {
  private readonly flows = new Map<string, Flow>();

  constructor(private readonly ttlMs = 10 * 60_000) {}

  start(state: string, installId: string, codeChallenge: string, now: number): boolean {
    this.prune(now);
    const existing = this.flows.get(state);
    if (existing && existing.installId !== installId) return false;
    this.flows.set(state, { installId, codeChallenge, createdAt: now, code: null, denied: null });
    return true;
  }

  /** Meta's redirect: returns false when the state is unknown (expired or forged). */
  callback(state: string, code: string | null, error: string | null, now: number): boolean {
    this.prune(now);
    const flow = this.flows.get(state);
    if (!flow) return false;
    if (code) flow.code = code;
    else flow.denied = error ?? 'unknown_error';
    return true;
  }

  claim(state: string, installId: string, codeVerifier: string): ClaimOutcome {
    const flow = this.flows.get(state);
    if (!flow || flow.installId !== installId) return { status: 'unknown' };
    const challenge = createHash('sha256').update(codeVerifier).digest('base64url');
    if (!constantTimeEqual(challenge, flow.codeChallenge)) return { status: 'bad_verifier' };
    if (flow.denied) {
      this.flows.delete(state);
      return { status: 'denied', reason: flow.denied };
    }
    if (!flow.code) return { status: 'pending' };
    this.flows.delete(state);
    return { status: 'code', code: flow.code };
  }

  private prune(now: number): void {
    for (const [state, f] of this.flows) if (now - f.createdAt > this.ttlMs) this.flows.delete(state);
  }
}
