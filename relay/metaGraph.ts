import { createHmac } from 'node:crypto';
import { GraphClient } from '../main/core/graph/client';
import { GraphError } from '../main/core/graph/errors';
import type { AssetKind } from '../shared/relay-protocol';

type Verdict = 'ok' | 'forbidden' | 'unavailable';

export type ProofResult =
  | { ok: true; userId: string | null }
  | { ok: false; status: number; code: 'forbidden' | 'graph_unavailable'; message: string };

/**
 * The relay's calls to the Graph API, all made with the app secret it alone holds or with a token an
 * install presents for one request. Tokens pass through; none is stored or logged.
 */
export class MetaGraph {
  private readonly graph: GraphClient;

  constructor(
    graphApiUrl: string,
    version: string,
    private readonly appId: string,
    private readonly appSecret: string,
  ) {
    this.graph = new GraphClient({ baseUrl: graphApiUrl.replace(/\/+$/, ''), version, timeoutMs: 10_000 });
  }

  private get appToken(): string {
    return `${this.appId}|${this.appSecret}`;
  }

  /**
   * appsecret_proof for a call made with an install's token: required by apps that turn on
   * "Require App Secret" (meta-platform.md §1.5), checked (and passed) by Meta whenever sent.
   * Only the relay can compute it; the token itself still goes in the Authorization header.
   */
  private proofFor(token: string): string {
    return createHmac('sha256', this.appSecret).update(token).digest('hex');
  }

  /**
   * Proof of access: with the presented token, `GET /{asset-id}?fields=id` must return that id.
   * Works alike for a Page, an Instagram account, a WABA and a phone number; Meta answers 190/100
   * for a token that cannot read the object, which is how someone else's page is refused.
   */
  async proveAccess(kind: AssetKind, assetId: string, token: string): Promise<ProofResult> {
    let verdict = await this.readsId(assetId, token);
    // A Page-linked Instagram account is also proved by the Page's token naming it as its own.
    if (verdict === 'forbidden' && kind === 'instagram') verdict = await this.pageLinksInstagram(assetId, token);
    if (verdict === 'unavailable') {
      return { ok: false, status: 502, code: 'graph_unavailable', message: 'The Graph API could not be reached; try again.' };
    }
    if (verdict === 'forbidden') {
      return { ok: false, status: 403, code: 'forbidden', message: `The token does not give access to this ${kind}.` };
    }
    // Best effort: remember whose token proved it, so a deauthorisation for that user unbinds it.
    const info = await this.debugToken(token).catch(() => null);
    return { ok: true, userId: info?.userId ?? null };
  }

  private async readsId(assetId: string, token: string): Promise<Verdict> {
    return this.verdict(async () => {
      const node = await this.graph.get<{ id?: string }>(encodeURIComponent(assetId), token, {
        fields: 'id',
        appsecret_proof: this.proofFor(token),
      });
      return node?.id === assetId;
    });
  }

  private async pageLinksInstagram(igId: string, token: string): Promise<Verdict> {
    return this.verdict(async () => {
      const me = await this.graph.get<{ instagram_business_account?: { id?: string } }>('me', token, {
        fields: 'instagram_business_account{id}',
        appsecret_proof: this.proofFor(token),
      });
      return me?.instagram_business_account?.id === igId;
    });
  }

  /** Meta's refusals (190, 100, 10, 200…) mean "no access"; outages and throttles mean "try again". */
  private async verdict(check: () => Promise<boolean>): Promise<Verdict> {
    try {
      return (await check()) ? 'ok' : 'forbidden';
    } catch (e) {
      if (e instanceof GraphError && e.action !== 'retry' && e.action !== 'rate_limit') return 'forbidden';
      return 'unavailable';
    }
  }

  async debugToken(inputToken: string): Promise<{
    isValid: boolean;
    expiresAt: number;
    dataAccessExpiresAt: number;
    scopes: string[];
    userId: string | null;
  }> {
    const res = await this.graph.get<{
      data?: { is_valid?: boolean; expires_at?: number; data_access_expires_at?: number; scopes?: string[]; user_id?: string };
    }>('debug_token', this.appToken, { input_token: inputToken });
    const d = res?.data ?? {};
    return {
      isValid: d.is_valid === true,
      expiresAt: d.expires_at ?? 0,
      dataAccessExpiresAt: d.data_access_expires_at ?? 0,
      scopes: d.scopes ?? [],
      userId: d.user_id ?? null,
    };
  }

  /** Login code (+ PKCE verifier) → short-lived user token → long-lived user token (60 days). */
  async exchangeCode(code: string, redirectUri: string, codeVerifier: string): Promise<{ accessToken: string; expiresIn: number }> {
    const short = await this.graph.get<{ access_token: string }>('oauth/access_token', this.appToken, {
      client_id: this.appId,
      redirect_uri: redirectUri,
      client_secret: this.appSecret,
      code,
      code_verifier: codeVerifier,
    });
    const long = await this.graph.get<{ access_token: string; expires_in?: number }>('oauth/access_token', this.appToken, {
      grant_type: 'fb_exchange_token',
      client_id: this.appId,
      client_secret: this.appSecret,
      fb_exchange_token: short.access_token,
    });
    return { accessToken: long.access_token, expiresIn: long.expires_in ?? 0 };
  }
}
