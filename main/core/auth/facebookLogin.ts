import type { ConnectResult } from '../../../shared/index';
import { sleep } from '../graph/backoff';
import type { OpenExternal } from '../ports';
import { RelayError, type RelayApi } from '../relayClient/relayApi';
import { newLoginSecrets } from './pkce';

/**
 * Scopes for lead ads + Messenger/Instagram messaging (meta-platform.md §1.6). WhatsApp numbers are
 * connected separately with a system-user token, so whatsapp_* scopes are not asked for here.
 */
export const loginScopes = [
  'pages_show_list',
  'leads_retrieval',
  'ads_management',
  'pages_read_engagement',
  'pages_manage_ads',
  'pages_manage_metadata',
  'pages_messaging',
  'instagram_basic',
  'instagram_manage_messages',
];

export interface FacebookLoginDeps {
  relay: RelayApi;
  openExternal: OpenExternal;
  appId: string;
  graphVersion: string;
  /** www.facebook.com, or the simulator's dialog in tests and demo (META_DIALOG_URL). */
  dialogUrl: string;
  pollMs: number;
  timeoutMs: number;
  now: () => number;
}

export type LoginOutcome =
  | { outcome: 'token'; accessToken: string; expiresIn: number }
  | Extract<ConnectResult, { outcome: 'cancelled' | 'denied' | 'timeout' }>;

/**
 * Facebook Login in the owner's system browser, with the redirect going through the relay.
 * Why the system browser and not a login window: it works the same from the Electron shell and
 * the browser host (the Node host has no window to embed), the owner is usually already logged in
 * to Facebook there (and its password manager / 2FA work), and the app never sees the password.
 * Why the relay redirect: Meta wants an exact https redirect URI (no custom schemes, localhost only
 * in development), and the code exchange needs the app secret, which only the relay holds
 * (meta-platform.md §1.3–1.4). state + PKCE bind the code to this install: the relay hands the token
 * only to the install that started the attempt and proves the verifier.
 */
export class FacebookLogin {
  private current: AbortController | null = null;

  constructor(private readonly deps: FacebookLoginDeps) {}

  /** Gives up the attempt in progress; its connect call resolves as 'cancelled'. */
  cancel(): boolean {
    if (!this.current) return false;
    this.current.abort();
    return true;
  }

  async run(): Promise<LoginOutcome> {
    this.current?.abort();
    const abort = new AbortController();
    this.current = abort;
    try {
      const secrets = newLoginSecrets();
      const { redirectUri } = await this.deps.relay.oauthStart(secrets.state, secrets.challenge);
      await this.deps.openExternal(this.dialogUrl(redirectUri, secrets.state, secrets.challenge));
      const deadline = this.deps.now() + this.deps.timeoutMs;
      while (this.deps.now() < deadline) {
        await sleep(this.deps.pollMs, abort.signal);
        if (abort.signal.aborted) {
          return {
            outcome: 'cancelled',
            message: 'Facebook login was cancelled. Nothing changed.',
          };
        }
        let claim;
        try {
          claim = await this.deps.relay.oauthClaim(secrets.state, secrets.verifier);
        } catch (e) {
          // The relay forgets attempts after 10 minutes (404): that is our timeout too.
          if (e instanceof RelayError && e.status === 404) break;
          throw e;
        }
        if (claim.status === 'ok')
          return { outcome: 'token', accessToken: claim.accessToken, expiresIn: claim.expiresIn };
        if (claim.status === 'denied') {
          return {
            outcome: 'denied',
            message:
              'Facebook login was declined, so nothing was connected. Click Connect again and allow the permissions Lead Inbox asks for to receive your leads.',
          };
        }
      }
      return {
        outcome: 'timeout',
        message:
          'Facebook login took too long and was stopped. Click Connect to try again; finish the login in the browser tab that opens.',
      };
    } finally {
      if (this.current === abort) this.current = null;
    }
  }

  dialogUrl(redirectUri: string, state: string, challenge: string): string {
    const url = new URL(
      `${this.deps.dialogUrl.replace(/\/+$/, '')}/${this.deps.graphVersion}/dialog/oauth`,
    );
    url.searchParams.set('client_id', this.deps.appId);
    url.searchParams.set('redirect_uri', redirectUri);
    url.searchParams.set('state', state);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', loginScopes.join(','));
    url.searchParams.set('code_challenge', challenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return url.toString();
  }
}
