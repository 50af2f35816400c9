import type { SimContext } from '../context';
import { localeData, answerGenerator, makeQuestions } from '../people';
import { LeadIndex } from '../leadIndex';
import type { AdInfo, FieldDatum, Question, SimForm, SimLead, SimUser } from '../model';
import { leadgenEntry } from '../payloads';
import { allScopes } from '../state';
import { pageNames } from '../names';

export const pageWebhookFields = [
  'leadgen',
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'messaging_postbacks',
  'message_reactions',
];

export interface CreatePageInput {
  name?: string;
  /** Owner; defaults to the simulator's default user (created on first use). */
  userId?: string;
  tasks?: string[];
  category?: string;
  /** Link an Instagram professional account (username optional). */
  instagram?: boolean | { username: string };
  /** Our app already installed on the page with these fields (true = all page fields). Default true. */
  subscribed?: boolean | string[];
}

export interface CreateLeadInput {
  formId?: string;
  /** Uses the page's first form (created if none) when formId is not given. */
  pageId?: string;
  fieldData?: FieldDatum[];
  /** Unix seconds; default now. */
  createdTime?: number;
  /** Default: paid (with ad ids) 80% of the time; organic leads carry no ad fields. */
  organic?: boolean;
  platform?: 'fb' | 'ig';
  /** Send the signed leadgen webhook (default true). */
  webhook?: boolean;
  isTest?: boolean;
}

/** Users, pages, forms and leads: the data half of the typed control API. */
export class CoreControl {
  private defaultUser: string | null = null;
  private readonly adCache = new Map<string, AdInfo[]>();

  constructor(protected readonly sim: SimContext) {}

  protected get state() {
    return this.sim.state;
  }

  createUser(input: { name?: string; email?: string; scopes?: string[]; system?: boolean } = {}): {
    id: string;
    name: string;
  } {
    const id = this.state.newId('user');
    const name = input.name ?? (input.system ? 'Lead Inbox System User' : 'Alex Owner');
    const user: SimUser = {
      id,
      name,
      email: input.email ?? `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@example.com`,
      system: input.system ?? false,
      scopes: input.scopes ?? [...allScopes],
      pages: new Map(),
      wabaIds: new Set(),
      datasetIds: new Set(),
      lastLoginAt: this.state.nowS(),
    };
    this.state.users.set(id, user);
    if (!user.system) {
      this.defaultUser ??= id;
      this.sim.settings.browserUserId ??= id;
    }
    return { id, name };
  }

  /** The default Facebook user (owner of pages created without userId). */
  ownerId(): string {
    return this.defaultUser ?? this.createUser().id;
  }

  /** A fresh user token; long-lived by default (what the app holds after connecting). */
  userToken(
    userId = this.ownerId(),
    opts: { longLived?: boolean; scopes?: string[] } = {},
  ): string {
    const user = this.mustUser(userId);
    const kind = user.system ? 'system_user' : 'user';
    return this.state.issueToken(kind, {
      userId,
      scopes: opts.scopes ?? user.scopes,
      longLived: opts.longLived ?? true,
    }).value;
  }

  createPage(input: CreatePageInput = {}): {
    id: string;
    name: string;
    accessToken: string;
    instagramId: string | null;
  } {
    const userId = input.userId ?? this.ownerId();
    const user = this.mustUser(userId);
    const id = this.state.newId('page');
    const name = input.name ?? pageNames[this.state.pages.size % pageNames.length]!;
    const ig = input.instagram
      ? {
          id: this.state.newId('igAccount'),
          username:
            typeof input.instagram === 'object'
              ? input.instagram.username
              : name.toLowerCase().replace(/[^a-z0-9]+/g, '_'),
          name,
        }
      : null;
    const subscribed = new Map<string, string[]>();
    const sub = input.subscribed ?? true;
    if (sub) subscribed.set(this.state.appId, sub === true ? [...pageWebhookFields] : sub);
    this.state.pages.set(id, {
      id,
      name,
      category: input.category ?? 'Local business',
      igAccount: ig,
      subscribed,
      formIds: [],
    });
    user.pages.set(
      id,
      input.tasks ?? ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
    );
    return { id, name, accessToken: this.pageToken(id, userId), instagramId: ig?.id ?? null };
  }

  /** A non-expiring page token derived from a long-lived token of the page's user. */
  pageToken(pageId: string, userId?: string): string {
    const uid = userId ?? [...this.state.users.values()].find((u) => u.pages.has(pageId))?.id;
    if (!uid) throw new Error(`no user holds page ${pageId}`);
    let parent = [...this.state.tokens.values()].find(
      (t) => t.kind === 'user' && t.userId === uid && t.longLived && t.invalid === null,
    );
    parent ??= this.state.issueToken('user', {
      userId: uid,
      scopes: this.mustUser(uid).scopes,
      longLived: true,
    });
    return this.state.pageTokenFor(parent, pageId).value;
  }

  createForm(input: {
    pageId: string;
    name?: string;
    locale?: string;
    questions?: Question[];
    status?: SimForm['status'];
    createdTime?: number;
  }): { id: string; name: string; questions: Question[] } {
    const page = this.state.pages.get(input.pageId);
    if (!page) throw new Error(`unknown page ${input.pageId}`);
    const loc = localeData(input.locale ?? 'en_US');
    const id = this.state.newId('form');
    const questions =
      input.questions ?? makeQuestions(this.state.rng, loc, () => this.state.newId('question'));
    const name = input.name ?? `${this.state.rng.pick(loc.formNames)} ${page.formIds.length + 1}`;
    const form: SimForm = {
      id,
      pageId: page.id,
      name,
      status: input.status ?? 'ACTIVE',
      locale: loc.locale,
      createdTime: input.createdTime ?? this.state.nowS() - 100 * 86400,
      questions,
      privacyPolicyUrl: `https://example.com/privacy/${page.id}`,
      leads: new LeadIndex(),
      generate: answerGenerator(Number(id.slice(-9)) ^ 0x2545f491, loc.locale, questions),
      testLeadId: null,
    };
    this.state.forms.set(id, form);
    page.formIds.push(id);
    return { id, name, questions };
  }

  /** Adds a lead; by default also sends the signed leadgen webhook like Meta does on submission. */
  createLead(input: CreateLeadInput): {
    id: string;
    formId: string;
    pageId: string;
    createdTime: number;
    fieldData: FieldDatum[];
  } {
    const form = this.resolveForm(input);
    const lead = this.addLead(form, {
      createdTime: input.createdTime ?? this.state.nowS(),
      fieldData: input.fieldData ?? null,
      organic: input.organic ?? (input.isTest ? true : this.state.rng.chance(0.2)),
      platform: input.platform ?? (this.state.rng.chance(0.3) ? 'ig' : 'fb'),
      isTest: input.isTest ?? false,
    });
    if (input.webhook ?? true)
      this.sendPageWebhook(lead.pageId, 'leadgen', 'page', leadgenEntry(lead, this.state.nowS()));
    const fieldData = lead.fieldData ?? form.generate?.(lead.genIndex) ?? [];
    return {
      id: lead.id,
      formId: form.id,
      pageId: form.pageId,
      createdTime: lead.createdTime,
      fieldData,
    };
  }

  /** Many leads at once without webhooks (history for backfill tests and benchmarks). */
  createLeads(formId: string, count: number, opts: { fromS?: number; toS?: number } = {}): number {
    const form = this.state.forms.get(formId);
    if (!form) throw new Error(`unknown form ${formId}`);
    const to = opts.toS ?? this.state.nowS();
    const from = opts.fromS ?? to - 90 * 86400;
    const rng = this.state.rng;
    for (let i = 0; i < count; i++) {
      let t = from + Math.floor(rng.next() * (to - from));
      // People fill forms mostly by day: move most night-time leads into 08:00–22:00 UTC that day.
      const secondOfDay = t % 86400;
      if ((secondOfDay < 8 * 3600 || secondOfDay >= 22 * 3600) && rng.chance(0.75)) {
        const moved = t - secondOfDay + 8 * 3600 + Math.floor(rng.next() * 14 * 3600);
        if (moved >= from && moved <= to) t = moved;
      }
      const lead = this.makeLead(form, {
        createdTime: t,
        fieldData: null,
        organic: rng.chance(0.2),
        platform: rng.chance(0.3) ? 'ig' : 'fb',
        isTest: false,
      });
      form.leads.addUnsorted(lead);
    }
    form.leads.finish();
    return count;
  }

  protected addLead(
    form: SimForm,
    o: {
      createdTime: number;
      fieldData: FieldDatum[] | null;
      organic: boolean;
      platform: 'fb' | 'ig';
      isTest: boolean;
    },
  ): SimLead {
    const lead = this.makeLead(form, o);
    form.leads.add(lead);
    return lead;
  }

  private makeLead(
    form: SimForm,
    o: {
      createdTime: number;
      fieldData: FieldDatum[] | null;
      organic: boolean;
      platform: 'fb' | 'ig';
      isTest: boolean;
    },
  ): SimLead {
    const lead: SimLead = {
      id: this.state.newId('lead'),
      formId: form.id,
      pageId: form.pageId,
      createdTime: o.createdTime,
      fieldData: o.fieldData,
      genIndex: form.leads.size,
      ad: o.organic ? null : this.pickAd(form),
      platform: o.platform,
      isTest: o.isTest,
      cache: null,
    };
    this.state.leads.set(lead.id, lead);
    return lead;
  }

  /** Each form runs a few ads in one campaign; leads pick one. */
  private pickAd(form: SimForm): AdInfo {
    let ads = this.adCache.get(form.id);
    if (!ads) {
      const campaignId = this.state.newId('ad');
      const adsetId = this.state.newId('ad');
      ads = [1, 2, 3].map((n) => ({
        adId: this.state.newId('ad'),
        adName: `${form.name} – Ad ${n}`,
        adsetId,
        adsetName: `${form.name} – Ad set`,
        campaignId,
        campaignName: `${form.name} campaign`,
      }));
      this.adCache.set(form.id, ads);
    }
    return this.state.rng.pick(ads);
  }

  protected resolveForm(input: { formId?: string; pageId?: string }): SimForm {
    if (input.formId) {
      const form = this.state.forms.get(input.formId);
      if (!form) throw new Error(`unknown form ${input.formId}`);
      return form;
    }
    const pageId = input.pageId ?? [...this.state.pages.keys()][0];
    const page = pageId ? this.state.pages.get(pageId) : undefined;
    if (!page) throw new Error(pageId ? `unknown page ${pageId}` : 'no page yet: create one first');
    const formId = page.formIds[0] ?? this.createForm({ pageId: page.id }).id;
    return this.state.forms.get(formId)!;
  }

  /** Sends a page-object webhook only if our app is installed on the page with that field, like Meta. */
  protected sendPageWebhook(
    accountPageId: string,
    field: string,
    object: string,
    entry: unknown,
  ): boolean {
    const page = this.state.pages.get(accountPageId);
    const fields = page?.subscribed.get(this.state.appId);
    if (!fields?.includes(field)) return false;
    this.sim.webhooks.send(object, entry);
    return true;
  }

  protected mustUser(id: string): SimUser {
    const u = this.state.users.get(id);
    if (!u) throw new Error(`unknown user ${id}`);
    return u;
  }
}
