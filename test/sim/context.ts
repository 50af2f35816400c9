import type { FaultTable } from './faults';
import type { Req, Reply } from './http';
import type { SimToken } from './model';
import type { SimState } from './state';
import type { WebhookSender } from './webhooks';

/** Everything a route may touch. */
export interface SimContext {
  state: SimState;
  webhooks: WebhookSender;
  faults: FaultTable;
  /** e.g. http://127.0.0.1:8788 (no trailing slash). */
  baseUrl(): string;
  /** Version used in generated URLs when the request had none. */
  defaultVersion: string;
  settings: SimSettings;
  control: import('./control').Control;
}

export interface SimSettings {
  /** The login dialog approves at once (302) instead of showing Approve/Deny. */
  oauthAutoApprove: boolean;
  /** "Require App Secret": every user/page/system-user call needs a valid appsecret_proof (§1.5). */
  requireAppSecretProof: boolean;
  /** "Valid OAuth Redirect URIs" (Strict Mode, exact match); null = any http(s) URI. */
  redirectUris: string[] | null;
  /** The Facebook user the simulated browser is logged in as (dialog approvals go to them). */
  browserUserId: string | null;
  /** WhatsApp sends are followed by sent + delivered status webhooks. */
  whatsappAutoStatuses: boolean;
  /**
   * Outside the 24 h window a free-form WhatsApp send fails at once with 131047 ('sync'), or is
   * accepted and then fails through a `failed` status webhook ('webhook'), as live traffic often does.
   */
  whatsappWindowErrors: 'sync' | 'webhook';
  /** Where the Deauthorize Callback goes (the relay's /webhooks/meta/deauthorize); null = none. */
  deauthorizeUrl: string | null;
  /** Percentages reported in usage headers of successful calls. */
  usage: { call_count: number; total_cputime: number; total_time: number };
}

export type NodeKind =
  | 'page'
  | 'form'
  | 'lead'
  | 'user'
  | 'conversation'
  | 'message'
  | 'person'
  | 'igAccount'
  | 'waba'
  | 'phone'
  | 'media'
  | 'dataset'
  | 'app';

/** A Graph call on `{id}` (edge null) or `{id}/{edge}`, after the token was validated. */
export interface GraphCall {
  sim: SimContext;
  req: Req;
  token: SimToken;
  id: string;
  kind: NodeKind;
  edge: string | null;
}

export interface GraphRoute {
  kind: NodeKind;
  edge: string | null;
  method: 'GET' | 'POST' | 'DELETE';
  handle(call: GraphCall): Reply | Promise<Reply>;
}

export function kindOf(state: SimState, id: string): NodeKind | null {
  if (id === state.appId) return 'app';
  if (state.pages.has(id)) return 'page';
  if (state.leads.has(id)) return 'lead';
  if (state.forms.has(id)) return 'form';
  if (state.users.has(id)) return 'user';
  if (state.conversations.has(id)) return 'conversation';
  if (state.messages.has(id)) return 'message';
  if (state.persons.has(id)) return 'person';
  if (state.wabas.has(id)) return 'waba';
  if (state.phones.has(id)) return 'phone';
  if (state.media.has(id)) return 'media';
  if (state.datasets.has(id)) return 'dataset';
  for (const p of state.pages.values()) if (p.igAccount?.id === id) return 'igAccount';
  return null;
}
