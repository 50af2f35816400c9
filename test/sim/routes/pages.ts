import { metaTime, requirePage, requireScope } from '../auth';
import type { GraphCall, GraphRoute, SimContext } from '../context';
import { pageWebhookFields } from '../control/core';
import { fail } from '../errors';
import { fieldNames, parseFields, type FieldSpec } from '../fields';
import type { Reply } from '../http';
import type { SimForm, SimPage } from '../model';
import { pageList } from '../paging';

const accountsDefault = ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'];
const formDefault = ['id', 'locale', 'name', 'status'];
const formFields = new Set([
  'id',
  'name',
  'status',
  'locale',
  'created_time',
  'leads_count',
  'expired_leads_count',
  'organic_leads_count',
  'questions',
  'privacy_policy_url',
  'page_id',
  'page',
  'follow_up_action_url',
  'context_card',
  'is_optimized_for_quality',
]);
const subscribableFields = new Set([
  ...pageWebhookFields,
  'feed',
  'standby',
  'messaging_handovers',
  'messaging_optins',
  'messaging_referrals',
]);

function renderPage(
  call: GraphCall,
  page: SimPage,
  specs: FieldSpec[] | null,
  fallback: string[],
  tasks?: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of specs ??
    fallback.map((name): FieldSpec => ({ name, modifiers: {}, children: null }))) {
    switch (f.name) {
      case 'id':
        out.id = page.id;
        break;
      case 'name':
        out.name = page.name;
        break;
      case 'category':
        out.category = page.category;
        break;
      case 'category_list':
        out.category_list = [{ id: '2500', name: page.category }];
        break;
      case 'tasks':
        if (tasks) out.tasks = tasks;
        break;
      case 'access_token':
        // Only a user token of someone with a role on the page yields the page token.
        if (call.token.kind === 'user' || call.token.kind === 'system_user')
          out.access_token = call.sim.state.pageTokenFor(call.token, page.id).value;
        else if (call.token.kind === 'page') out.access_token = call.token.value;
        break;
      case 'instagram_business_account':
      case 'connected_instagram_account':
        if (page.igAccount) {
          const sub = fieldNames(f.children, ['id']);
          const ig: Record<string, unknown> = {};
          for (const s of sub)
            if (s === 'id' || s === 'username' || s === 'name') ig[s] = page.igAccount[s];
          ig.id = page.igAccount.id;
          out[f.name] = ig;
        }
        break;
      case 'link':
        out.link = `https://www.facebook.com/${page.id}`;
        break;
      case 'leadgen_forms':
        out.leadgen_forms = pageList(
          call.sim,
          { ...call.req, params: { limit: f.modifiers.limit ?? '25' } },
          formsOf(call.sim, page),
          (form) => renderForm(call.sim, form, f.children),
        );
        delete (out.leadgen_forms as { paging?: unknown }).paging;
        break;
      default:
        throw fail.unknownField(f.name, 'Page');
    }
  }
  if (!('id' in out)) out.id = page.id;
  return out;
}

function formsOf(sim: SimContext, page: SimPage): SimForm[] {
  return page.formIds
    .map((id) => sim.state.forms.get(id)!)
    .filter((f) => f && f.status !== 'DELETED');
}

export function renderForm(
  sim: SimContext,
  form: SimForm,
  specs: FieldSpec[] | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const names = fieldNames(specs, formDefault);
  for (const n of names) {
    if (!formFields.has(n)) throw fail.unknownField(n, 'LeadgenForm');
    switch (n) {
      case 'id':
        out.id = form.id;
        break;
      case 'name':
      case 'status':
      case 'locale':
      case 'questions':
        out[n] = form[n];
        break;
      case 'created_time':
        out.created_time = metaTime(form.createdTime);
        break;
      case 'leads_count':
        out.leads_count = form.leads.size;
        break;
      case 'expired_leads_count':
        out.expired_leads_count =
          form.leads.size - form.leads.countSince(sim.state.nowS() - 90 * 86400);
        break;
      case 'organic_leads_count':
        out.organic_leads_count = form.leads.all().reduce((n, l) => n + (l.ad ? 0 : 1), 0);
        break;
      case 'privacy_policy_url':
        out.privacy_policy_url = form.privacyPolicyUrl;
        break;
      case 'page_id':
        out.page_id = form.pageId;
        break;
      case 'page':
        out.page = { name: sim.state.pages.get(form.pageId)?.name, id: form.pageId };
        break;
      default:
        break;
    }
  }
  if (!('id' in out)) out.id = form.id;
  return out;
}

function getPage(call: GraphCall): SimPage {
  const page = call.sim.state.pages.get(call.id)!;
  requirePage(call.sim.state, call.token, page.id, call.id, call.req.method.toLowerCase());
  return page;
}

function subscribedApps(call: GraphCall): Reply {
  const page = getPage(call);
  const { state } = call.sim;
  // subscribed_apps is a page-token-only edge (meta-platform.md §2.1).
  if (call.token.kind !== 'page') throw fail.pageTokenRequired();
  if (call.req.method === 'GET') {
    const data = [...page.subscribed].map(([appId, fields]) => ({
      category: 'Business',
      link: 'https://leadinbox.example',
      name: appId === state.appId ? 'Lead Inbox' : `App ${appId}`,
      id: appId,
      subscribed_fields: fields,
    }));
    return { json: { data } };
  }
  requireScope(call.token, 'pages_manage_metadata');
  if (call.req.method === 'DELETE') {
    page.subscribed.delete(state.appId);
    return { json: { success: true } };
  }
  const raw = call.req.params.subscribed_fields;
  if (!raw) throw fail.param('The parameter subscribed_fields is required');
  const fields = raw.startsWith('[')
    ? (JSON.parse(raw) as string[])
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  fields.forEach((f, i) => {
    if (!subscribableFields.has(f))
      throw fail.param(
        `Param subscribed_fields[${i}] must be one of {${[...subscribableFields].join(', ')}} - got "${f}".`,
      );
  });
  page.subscribed.set(state.appId, [...new Set(fields)]);
  return { json: { success: true } };
}

export const pageRoutes: GraphRoute[] = [
  {
    kind: 'user',
    edge: 'accounts',
    method: 'GET',
    handle: (call) => {
      const { state } = call.sim;
      if (call.token.kind !== 'user' && call.token.kind !== 'system_user')
        throw fail.unknownField('accounts', 'Page');
      if (call.token.userId !== call.id) throw fail.noObject(call.id);
      requireScope(call.token, 'pages_show_list');
      const user = state.users.get(call.id)!;
      const pages = [...user.pages.keys()].map((id) => state.pages.get(id)!).filter(Boolean);
      const specs = parseFields(call.req.params.fields);
      return {
        json: pageList(call.sim, call.req, pages, (p) =>
          renderPage(call, p, specs, accountsDefault, user.pages.get(p.id)),
        ),
      };
    },
  },
  {
    kind: 'user',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const user = call.sim.state.users.get(call.id)!;
      if (call.token.userId !== call.id) throw fail.noObject(call.id);
      const out: Record<string, unknown> = {};
      for (const n of fieldNames(parseFields(call.req.params.fields), ['name', 'id'])) {
        if (n === 'id' || n === 'name' || n === 'email') out[n] = user[n];
        else throw fail.unknownField(n, 'User');
      }
      out.id = user.id;
      return { json: out };
    },
  },
  {
    kind: 'page',
    edge: null,
    method: 'GET',
    handle: (call) => ({
      json: renderPage(call, getPage(call), parseFields(call.req.params.fields), ['name', 'id']),
    }),
  },
  {
    kind: 'igAccount',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const pageId = call.sim.state.pageOf(call.id);
      requirePage(call.sim.state, call.token, pageId, call.id);
      const ig = call.sim.state.pages.get(pageId!)!.igAccount!;
      const out: Record<string, unknown> = {};
      for (const n of fieldNames(parseFields(call.req.params.fields), ['id'])) {
        if (n === 'id' || n === 'username' || n === 'name') out[n] = ig[n];
        else if (n === 'profile_picture_url')
          out[n] = `${call.sim.baseUrl()}/_media/avatar/${ig.id}.png`;
        else throw fail.unknownField(n, 'IGUser');
      }
      out.id = ig.id;
      return { json: out };
    },
  },
  { kind: 'page', edge: 'subscribed_apps', method: 'GET', handle: subscribedApps },
  { kind: 'page', edge: 'subscribed_apps', method: 'POST', handle: subscribedApps },
  { kind: 'page', edge: 'subscribed_apps', method: 'DELETE', handle: subscribedApps },
  {
    kind: 'page',
    edge: 'leadgen_forms',
    method: 'GET',
    handle: (call) => {
      const page = getPage(call);
      requireScope(call.token, 'pages_manage_ads');
      const specs = parseFields(call.req.params.fields);
      return {
        json: pageList(call.sim, call.req, formsOf(call.sim, page), (f) =>
          renderForm(call.sim, f, specs),
        ),
      };
    },
  },
  {
    kind: 'form',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const form = call.sim.state.forms.get(call.id)!;
      requirePage(call.sim.state, call.token, form.pageId, call.id);
      return { json: renderForm(call.sim, form, parseFields(call.req.params.fields)) };
    },
  },
];
