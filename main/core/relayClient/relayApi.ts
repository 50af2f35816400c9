import type { z } from 'zod';
import {
  bindRequest,
  debugTokenResponse,
  oauthClaimResponse,
  oauthStartResponse,
  registerResponse,
  type AssetKind,
} from '../../../shared/relay-protocol';
import type { TokenStore } from '../ports';
import { keychainAccounts } from '../keychain/accounts';
import type { Db } from '../store/db';
import { kvGet, kvKeys, kvSet } from '../store/kv';

export class RelayError extends Error {
  override name = 'RelayError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RelayApiDeps {
  db: Db;
  tokens: TokenStore;
  /** Current relay base URL (settings may change it); null = not configured. */
  relayUrl: () => string | null;
  client: string;
  /** Told when the relay forgot us and we registered again (new id: bindings must be redone). */
  onReregistered?: () => void;
  timeoutMs?: number;
}

/**
 * The relay's HTTP side: install registration, bindings with proof, the OAuth broker and
 * debug_token. The install token lives in the keychain (relay:install); the id in kv.
 */
export class RelayApi {
  constructor(private readonly deps: RelayApiDeps) {}

  configured(): boolean {
    return !!this.deps.relayUrl();
  }

  baseUrl(): string {
    const url = this.deps.relayUrl();
    if (!url) throw new RelayError(0, 'No relay is configured (Settings → General → Relay URL).');
    return url.replace(/\/+$/, '');
  }

  /** The bearer token for /v1/stream and every authenticated call; registers on first use. */
  async installToken(): Promise<string> {
    const existing = await this.deps.tokens.get(keychainAccounts.relayInstall);
    if (existing && kvGet(this.deps.db, kvKeys.installId)) return existing;
    return this.register();
  }

  /**
   * POST /v1/installs: a new identity. Events from before it are not ours, so the cursor resets.
   * Concurrent callers (stream + a login) share one registration, or they would each get an id.
   */
  register(): Promise<string> {
    this.registering ??= this.registerOnce().finally(() => (this.registering = null));
    return this.registering;
  }

  private registering: Promise<string> | null = null;

  private async registerOnce(): Promise<string> {
    const res = await this.send('POST', '/v1/installs', { client: this.deps.client }, null);
    const body = registerResponse.parse(res);
    // The bearer is `<installId>.<secret>` (shared/relay-protocol.ts); the relay returns it whole.
    // Kept whole in the keychain.
    const bearer = body.token.startsWith(`${body.installId}.`)
      ? body.token
      : `${body.installId}.${body.token}`;
    await this.deps.tokens.set(keychainAccounts.relayInstall, bearer);
    this.deps.db.transaction(() => {
      kvSet(this.deps.db, kvKeys.installId, body.installId);
      this.deps.db.prepare('DELETE FROM kv WHERE key = ?').run(kvKeys.relayCursor);
    })();
    return bearer;
  }

  /** Registers again after a 401 (the relay lost or revoked us) and tells the owner of bindings. */
  async reregister(): Promise<string> {
    const token = await this.register();
    this.deps.onReregistered?.();
    return token;
  }

  async bind(kind: AssetKind, assetId: string, accessToken: string): Promise<void> {
    await this.authed('POST', '/v1/bindings', bindRequest.parse({ kind, assetId, accessToken }));
  }

  async unbind(kind: AssetKind, assetId: string): Promise<void> {
    await this.authed('DELETE', '/v1/bindings', { kind, assetId });
  }

  async oauthStart(
    state: string,
    codeChallenge: string,
  ): Promise<z.infer<typeof oauthStartResponse>> {
    return oauthStartResponse.parse(
      await this.authed('POST', '/v1/oauth/start', { state, codeChallenge }),
    );
  }

  async oauthClaim(
    state: string,
    codeVerifier: string,
  ): Promise<z.infer<typeof oauthClaimResponse>> {
    return oauthClaimResponse.parse(
      await this.authed('POST', '/v1/oauth/claim', { state, codeVerifier }),
    );
  }

  async debugToken(inputToken: string): Promise<z.infer<typeof debugTokenResponse>> {
    return debugTokenResponse.parse(await this.authed('POST', '/v1/debug-token', { inputToken }));
  }

  /** One retry after re-registering on 401: a relay that forgot us must not stop the app. */
  private async authed(method: string, path: string, body: unknown): Promise<unknown> {
    const token = await this.installToken();
    try {
      return await this.send(method, path, body, token);
    } catch (e) {
      if (!(e instanceof RelayError) || e.status !== 401) throw e;
      return this.send(method, path, body, await this.reregister());
    }
  }

  private async send(
    method: string,
    path: string,
    body: unknown,
    token: string | null,
  ): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl()}${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? 15_000),
      });
    } catch (e) {
      throw new RelayError(
        0,
        `The relay could not be reached (${e instanceof Error ? e.name : 'network error'}).`,
      );
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    if (!res.ok) {
      const msg =
        (json as { error?: { message?: string } | string; message?: string } | null) ?? null;
      const detail =
        typeof msg?.error === 'string'
          ? msg.error
          : (msg?.error?.message ?? msg?.message ?? `HTTP ${res.status}`);
      throw new RelayError(res.status, `Relay ${method} ${path} failed: ${detail}`);
    }
    return json;
  }
}
