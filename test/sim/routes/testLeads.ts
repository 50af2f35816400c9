import { requirePage } from '../auth';
import type { GraphRoute } from '../context';
import { fail } from '../errors';
import { jsonParam } from '../http';
import type { FieldDatum } from '../model';
import { renderLead } from './leads';

/**
 * POST/GET /{form-id}/test_leads (meta-platform.md §3): one test lead per form; a second one
 * fails until the first is deleted. Test leads are organic and fire the leadgen webhook.
 */
export const testLeadRoutes: GraphRoute[] = [
  {
    kind: 'form',
    edge: 'test_leads',
    method: 'POST',
    handle: (call) => {
      const { state, control } = call.sim;
      const form = state.forms.get(call.id)!;
      requirePage(state, call.token, form.pageId, call.id, 'post');
      if (form.testLeadId && state.leads.has(form.testLeadId)) {
        throw fail.param(
          'You can only create one test lead per form. Delete the existing test lead before creating a new one.',
        );
      }
      const raw = jsonParam(call.req.params, 'field_data');
      let fieldData: FieldDatum[] | undefined;
      if (raw !== undefined) {
        if (!Array.isArray(raw)) throw fail.param('param field_data must be an array.');
        fieldData = (raw as { name?: unknown; values?: unknown }[]).map((d) => ({
          name: String(d.name),
          values: Array.isArray(d.values) ? d.values.map(String) : [String(d.values)],
        }));
      }
      const lead = control.createLead({
        formId: form.id,
        fieldData,
        organic: true,
        isTest: true,
        platform: 'fb',
      });
      form.testLeadId = lead.id;
      return { json: { id: lead.id } };
    },
  },
  {
    kind: 'form',
    edge: 'test_leads',
    method: 'GET',
    handle: (call) => {
      const { state } = call.sim;
      const form = state.forms.get(call.id)!;
      requirePage(state, call.token, form.pageId, call.id);
      const lead = form.testLeadId ? state.leads.get(form.testLeadId) : undefined;
      return {
        json: {
          data: lead ? [renderLead(call.sim, lead, ['id', 'created_time', 'field_data'])] : [],
        },
      };
    },
  },
];
