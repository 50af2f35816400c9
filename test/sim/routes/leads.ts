import { metaTime, requireLeadAccess, requirePage } from '../auth';
import type { GraphCall, GraphRoute, SimContext } from '../context';
import { fail } from '../errors';
import { fieldNames, parseFields } from '../fields';
import { intParam, jsonParam, type Reply } from '../http';
import { decodeCursor, encodeCursor } from '../leadIndex';
import type { FieldDatum, SimForm, SimLead } from '../model';
import { nextUrl } from '../paging';

/** Lead fields per meta-platform.md §3 (facebook-python-business-sdk adobjects/lead.py). */
const leadFields = new Set([
  'id',
  'created_time',
  'field_data',
  'ad_id',
  'ad_name',
  'adset_id',
  'adset_name',
  'campaign_id',
  'campaign_name',
  'form_id',
  'is_organic',
  'platform',
  'partner_name',
  'post',
  'custom_disclaimer_responses',
  'home_listing',
  'vehicle',
  'retailer_item_id',
  'post_submission_check_result',
]);
const defaultLeadFields = ['created_time', 'id', 'field_data'];
/** Meta's maximum page size is unconfirmed (§10); above this we answer like Meta does for huge reads. */
const maxLimit = 5000;

export function leadFieldData(lead: SimLead, form: SimForm | undefined): FieldDatum[] {
  if (lead.fieldData) return lead.fieldData;
  return form?.generate ? form.generate(lead.genIndex) : [];
}

/** One lead as Graph JSON; ad fields are absent (not null) for organic and test leads, as Meta omits them. */
export function renderLead(
  sim: SimContext,
  lead: SimLead,
  fields: string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const form = sim.state.forms.get(lead.formId);
  for (const f of fields) {
    switch (f) {
      case 'id':
        out.id = lead.id;
        break;
      case 'created_time':
        out.created_time = metaTime(lead.createdTime);
        break;
      case 'field_data':
        out.field_data = leadFieldData(lead, form);
        break;
      case 'ad_id':
      case 'ad_name':
      case 'adset_id':
      case 'adset_name':
      case 'campaign_id':
      case 'campaign_name':
        if (lead.ad) out[f] = lead.ad[camel(f)];
        break;
      case 'form_id':
        out.form_id = lead.formId;
        break;
      case 'is_organic':
        out.is_organic = lead.ad === null;
        break;
      case 'platform':
        out.platform = lead.platform;
        break;
      case 'custom_disclaimer_responses':
        out.custom_disclaimer_responses = [];
        break;
      default:
        // partner_name, post, home_listing, vehicle, retailer_item_id, post_submission_check_result:
        // valid fields that our leads never carry, so Meta would omit them.
        break;
    }
  }
  if (!('id' in out)) out.id = lead.id;
  return out;
}

function camel(
  f: 'ad_id' | 'ad_name' | 'adset_id' | 'adset_name' | 'campaign_id' | 'campaign_name',
) {
  return (
    {
      ad_id: 'adId',
      ad_name: 'adName',
      adset_id: 'adsetId',
      adset_name: 'adsetName',
      campaign_id: 'campaignId',
      campaign_name: 'campaignName',
    } as const
  )[f];
}

export function leadFieldList(raw: string | undefined): string[] {
  const names = fieldNames(parseFields(raw), defaultLeadFields);
  for (const n of names) if (!leadFields.has(n)) throw fail.unknownField(n, 'UserLeadGenInfo');
  return names;
}

/**
 * Renders leads for this `fields` list ahead of time, so the pages that ask for exactly this list
 * are served from the stored JSON. Meta answers from its own servers; on one machine the
 * simulator's rendering would otherwise compete for the CPU the desktop is measured on (in a
 * 100,000-lead backfill, about 0.8 s of the simulator's 1.5 s). The list is checked at once.
 */
export function leadRendererFor(sim: SimContext, fieldsRaw: string): (lead: SimLead) => void {
  const fields = leadFieldList(fieldsRaw);
  return (lead) => void leadJson(sim, lead, fieldsRaw, fields);
}

function leadJson(sim: SimContext, lead: SimLead, key: string, fields: string[]): string {
  if (lead.cache?.key === key) return lead.cache.json;
  const json = JSON.stringify(renderLead(sim, lead, fields));
  lead.cache = { key, json };
  return json;
}

interface Window {
  gt: number | null;
  lt: number | null;
}

export function parseFiltering(raw: unknown): Window {
  const w: Window = { gt: null, lt: null };
  if (raw === undefined) return w;
  if (!Array.isArray(raw)) throw fail.param('param filtering must be an array.');
  for (const f of raw as { field?: unknown; operator?: unknown; value?: unknown }[]) {
    const field = String(f?.field ?? '');
    const op = String(f?.operator ?? '');
    const value = Number(f?.value);
    if (field !== 'time_created')
      throw fail.param(`Filtering field '${field}' with operation '${op}' is not supported`);
    if (!Number.isFinite(value))
      throw fail.param(`Filtering value for field '${field}' must be a number`);
    if (op === 'GREATER_THAN') w.gt = Math.max(w.gt ?? -Infinity, Math.floor(value));
    else if (op === 'LESS_THAN') w.lt = Math.min(w.lt ?? Infinity, Math.ceil(value));
    else throw fail.param(`Filtering field '${field}' with operation '${op}' is not supported`);
  }
  return w;
}

/** GET /{form-id}/leads: newest first, filtered on time_created, cursor-paged. */
export function listLeads(call: GraphCall): Reply {
  const { sim, req } = call;
  const form = sim.state.forms.get(call.id)!;
  requirePage(sim.state, call.token, form.pageId, call.id);
  requireLeadAccess(call.token);
  const fieldsRaw = req.params.fields;
  const fields = leadFieldList(fieldsRaw);
  const limit = intParam(req.params, 'limit', 25);
  if (limit > maxLimit) throw fail.tooMuchData();
  const { gt, lt } = parseFiltering(jsonParam(req.params, 'filtering'));
  let after: { t: number; id: string } | null = null;
  if (req.params.after) {
    after = decodeCursor(req.params.after);
    if (!after) throw fail.param('The after cursor is invalid');
  }
  const [lo, hi] = form.leads.window(gt, lt);
  const { rows, more } = form.leads.page(lo, hi, after, Math.max(1, limit));
  if (rows.length === 0) return { rawJson: '{"data":[]}' };
  const key = fieldsRaw ?? '';
  let body = '{"data":[';
  for (let i = 0; i < rows.length; i++) {
    if (i > 0) body += ',';
    body += leadJson(sim, rows[i]!, key, fields);
  }
  const paging: Record<string, unknown> = {
    cursors: { before: encodeCursor(rows[0]!), after: encodeCursor(rows[rows.length - 1]!) },
  };
  if (more) paging.next = nextUrl(sim, req, { after: encodeCursor(rows[rows.length - 1]!) });
  body += '],"paging":' + JSON.stringify(paging) + '}';
  return { rawJson: body };
}

export const leadRoutes: GraphRoute[] = [
  { kind: 'form', edge: 'leads', method: 'GET', handle: listLeads },
  {
    kind: 'lead',
    edge: null,
    method: 'GET',
    handle: (call) => {
      const lead = call.sim.state.leads.get(call.id)!;
      requirePage(call.sim.state, call.token, lead.pageId, call.id);
      requireLeadAccess(call.token);
      return { json: renderLead(call.sim, lead, leadFieldList(call.req.params.fields)) };
    },
  },
  {
    kind: 'lead',
    edge: null,
    method: 'DELETE',
    handle: (call) => {
      const { state } = call.sim;
      const lead = state.leads.get(call.id)!;
      requirePage(state, call.token, lead.pageId, call.id, 'delete');
      // Only test leads can be deleted through the API (Testing tool: one test lead per form).
      if (!lead.isTest) throw fail.noObject(call.id, 'delete');
      state.leads.delete(lead.id);
      const form = state.forms.get(lead.formId);
      form?.leads.remove(lead.id);
      if (form?.testLeadId === lead.id) form.testLeadId = null;
      return { json: { success: true } };
    },
  },
];
