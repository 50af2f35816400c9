import type { GraphClient } from '../graph/client';
import type { Logger } from '../ports';
import type { Db } from '../store/db';
import { upsertForm } from '../store/pages';
import type { FormQuestion } from './normalise';

/** Fields of a lead form we keep (meta-platform.md §3). */
export const formFields = 'id,name,status,locale,created_time,leads_count,questions,page_id';

export interface GraphForm {
  id: string;
  name?: string;
  status?: string;
  locale?: string;
  leads_count?: number;
  questions?: FormQuestion[];
  page_id?: string;
}

export function saveGraphForm(db: Db, f: GraphForm, pageId: string): void {
  upsertForm(db, {
    id: f.id,
    pageId: f.page_id ?? pageId,
    name: f.name ?? `Form ${f.id}`,
    status: f.status ?? 'ACTIVE',
    locale: f.locale ?? null,
    leadsCount: f.leads_count ?? null,
    questions: (f.questions ?? []).map((q) => ({
      key: q.key,
      label: q.label ?? q.key,
      type: q.type ?? 'CUSTOM',
      ...(q.options ? { options: q.options } : {}),
    })),
  });
}

/**
 * A webhook lead from a form we have not synced yet: fetch the form once so its answers get their
 * question labels. Best effort; the lead is stored either way.
 */
export async function ensureForm(
  deps: { db: Db; graph: GraphClient; log: Logger },
  formId: string,
  pageId: string,
  token: string,
): Promise<void> {
  try {
    const f = await deps.graph.get<GraphForm>(formId, token, { fields: formFields });
    saveGraphForm(deps.db, f, pageId);
  } catch (e) {
    deps.log.warn('form lookup failed; answers keep their keys as labels', {
      formId,
      error: e instanceof Error ? e.name : 'error',
    });
  }
}
