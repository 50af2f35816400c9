import { createRng, type Rng } from './prng';
import type {
  SimConversation,
  SimDataset,
  SimForm,
  SimLead,
  SimMedia,
  SimMessage,
  SimPage,
  SimPerson,
  SimPhone,
  SimToken,
  SimUser,
  SimWaba,
  TokenKind,
  WaContact,
  WaMessage,
} from './model';

/** Id shapes close to Meta's: fixed-width digit strings (so string order = creation order). */
const idShapes = {
  user: ['100', 12],
  page: ['101', 12],
  form: ['102', 12],
  lead: ['103', 13],
  ad: ['238', 14],
  psid: ['24', 14],
  igsid: ['17', 15],
  igAccount: ['178414', 11],
  waba: ['104', 12],
  phone: ['105', 12],
  template: ['106', 12],
  media: ['107', 12],
  dataset: ['108', 12],
  question: ['109', 12],
  conversation: ['', 15],
} as const;
export type IdKind = keyof typeof idShapes;

export interface CallRecord {
  at: number;
  method: string;
  /** Path without the version prefix, e.g. `123/leads`. */
  path: string;
  version: string | null;
  query: Record<string, string>;
  token: string | null;
  tokenKind: TokenKind | null;
  status: number;
}

export const allScopes = [
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_metadata',
  'pages_manage_ads',
  'pages_messaging',
  'leads_retrieval',
  'ads_management',
  'business_management',
  'instagram_basic',
  'instagram_manage_messages',
  'whatsapp_business_messaging',
  'whatsapp_business_management',
];

export const longLivedSeconds = 5183944;
export const shortLivedSeconds = 3600;

/** All simulator data plus its clock, id counters and records of what clients did. */
export class SimState {
  readonly rng: Rng;
  readonly users = new Map<string, SimUser>();
  readonly pages = new Map<string, SimPage>();
  readonly forms = new Map<string, SimForm>();
  readonly leads = new Map<string, SimLead>();
  readonly tokens = new Map<string, SimToken>();
  readonly persons = new Map<string, SimPerson>();
  readonly conversations = new Map<string, SimConversation>();
  readonly messages = new Map<string, SimMessage>();
  readonly wabas = new Map<string, SimWaba>();
  readonly phones = new Map<string, SimPhone>();
  /** key `${phoneId}:${waId}` */
  readonly waContacts = new Map<string, WaContact>();
  readonly waMessages = new Map<string, WaMessage>();
  readonly media = new Map<string, SimMedia>();
  readonly datasets = new Map<string, SimDataset>();
  readonly calls: CallRecord[] = [];
  /** Keeps memory flat in long benchmarks; tests read far fewer. */
  callLimit = 20_000;
  private readonly counters = new Map<string, number>();
  private offsetMs = 0;

  constructor(
    readonly appId: string,
    readonly appSecret: string,
    seed: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.rng = createRng(seed);
  }

  /** Unix ms on the simulator's clock (wall clock plus any advanceTime). */
  nowMs(): number {
    return this.clock() + this.offsetMs;
  }

  nowS(): number {
    return Math.floor(this.nowMs() / 1000);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  newId(kind: IdKind): string {
    const n = (this.counters.get(kind) ?? 0) + 1;
    this.counters.set(kind, n);
    const [prefix, width] = idShapes[kind];
    return prefix + String(n).padStart(width, '0');
  }

  get appToken(): string {
    return `${this.appId}|${this.appSecret}`;
  }

  issueToken(
    kind: TokenKind,
    opts: {
      userId?: string | null;
      pageId?: string | null;
      scopes?: string[];
      longLived?: boolean;
      parent?: string | null;
      expiresIn?: number;
    },
  ): SimToken {
    const now = this.nowS();
    const expiresIn =
      opts.expiresIn ??
      (kind === 'system_user' ? 0 : opts.longLived ? longLivedSeconds : shortLivedSeconds);
    const token: SimToken = {
      value: 'EAA' + this.rng.chars(3) + 'ZB' + this.rng.chars(90),
      kind,
      appId: this.appId,
      userId: opts.userId ?? null,
      pageId: opts.pageId ?? null,
      scopes: opts.scopes ?? [...allScopes],
      issuedAt: now,
      expiresAt: expiresIn === 0 ? 0 : now + expiresIn,
      longLived: opts.longLived ?? kind !== 'user',
      invalid: null,
      parent: opts.parent ?? null,
    };
    this.tokens.set(token.value, token);
    return token;
  }

  /**
   * The page token `me/accounts` hands out for this user token: stable across calls, expires with
   * a short-lived parent and never with a long-lived one (meta-platform.md §1.4).
   */
  pageTokenFor(userToken: SimToken, pageId: string): SimToken {
    for (const t of this.tokens.values()) {
      if (t.kind === 'page' && t.parent === userToken.value && t.pageId === pageId) return t;
    }
    return this.issueToken('page', {
      userId: userToken.userId,
      pageId,
      scopes: userToken.scopes,
      parent: userToken.value,
      longLived: userToken.longLived,
      expiresIn: userToken.longLived ? 0 : Math.max(1, userToken.expiresAt - this.nowS()),
    });
  }

  record(call: CallRecord): void {
    this.calls.push(call);
    if (this.calls.length > this.callLimit)
      this.calls.splice(0, this.calls.length - this.callLimit);
  }

  pageOf(id: string): string | null {
    if (this.pages.has(id)) return id;
    const form = this.forms.get(id);
    if (form) return form.pageId;
    const lead = this.leads.get(id);
    if (lead) return lead.pageId;
    const conv = this.conversations.get(id);
    if (conv) return conv.pageId;
    const msg = this.messages.get(id);
    if (msg) return this.conversations.get(msg.conversationId)?.pageId ?? null;
    const person = this.persons.get(id);
    if (person) return person.pageId;
    for (const p of this.pages.values()) if (p.igAccount?.id === id) return p.id;
    return null;
  }
}
