import type { Form, PageSummary, Problem } from '../../../shared/index';
import type { FormQuestion } from '../leads/normalise';
import type { Db } from './db';
import { stmt } from './statements';

/** Pages and forms: ids, names and sync state only (tokens are in the keychain). */
export interface PageRecord {
  id: string;
  account_id: string | null;
  name: string;
  enabled: number;
  instagram_id: string | null;
  status: 'ok' | 'syncing' | 'needs_reconnect' | 'error';
  error_code: string | null;
  error_message: string | null;
  error_fix: string | null;
  last_sync_at: number | null;
  next_sync_at: number | null;
  subscribed_at: number | null;
  bound_at: number | null;
  subscription_checked_at: number | null;
}

export function getPage(db: Db, id: string): PageRecord | null {
  return (stmt(db, 'SELECT * FROM pages WHERE id = ?').get(id) as PageRecord | undefined) ?? null;
}

export function enabledPages(db: Db): PageRecord[] {
  return stmt(db, 'SELECT * FROM pages WHERE enabled = 1 ORDER BY name').all() as PageRecord[];
}

export function pagesOfAccount(db: Db, accountId: string): PageRecord[] {
  return stmt(db, 'SELECT * FROM pages WHERE account_id = ?').all(accountId) as PageRecord[];
}

/** A page seen in me/accounts: new pages start disabled; known ones keep their choice and state. */
export function upsertPageFromAccount(
  db: Db,
  p: { id: string; name: string; accountId: string; instagramId: string | null },
): void {
  stmt(
    db,
    `INSERT INTO pages (id, account_id, name, instagram_id, enabled) VALUES (?, ?, ?, ?, 0)
     ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, name = excluded.name,
       instagram_id = excluded.instagram_id`,
  ).run(p.id, p.accountId, p.name, p.instagramId);
}

export function setPageProblem(
  db: Db,
  id: string,
  status: PageRecord['status'],
  problem: Problem | null,
): void {
  stmt(
    db,
    'UPDATE pages SET status = ?, error_code = ?, error_message = ?, error_fix = ? WHERE id = ?',
  ).run(status, problem?.code ?? null, problem?.message ?? null, problem?.fix ?? null, id);
}

export function updatePage(
  db: Db,
  id: string,
  fields: Partial<
    Pick<
      PageRecord,
      | 'enabled'
      | 'last_sync_at'
      | 'next_sync_at'
      | 'subscribed_at'
      | 'bound_at'
      | 'subscription_checked_at'
      | 'account_id'
    >
  >,
): void {
  const keys = Object.keys(fields) as (keyof typeof fields)[];
  if (keys.length === 0) return;
  stmt(db, `UPDATE pages SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({
    ...fields,
    id,
  });
}

export interface FormRecord {
  id: string;
  page_id: string;
  name: string;
  status: string;
  locale: string | null;
  leads_count: number | null;
  questions: string;
  cursor_time: number | null;
  last_sync_at: number | null;
}

export function formsOfPage(db: Db, pageId: string): FormRecord[] {
  return stmt(db, 'SELECT * FROM forms WHERE page_id = ? ORDER BY name').all(
    pageId,
  ) as FormRecord[];
}

export function getForm(db: Db, id: string): FormRecord | null {
  return (stmt(db, 'SELECT * FROM forms WHERE id = ?').get(id) as FormRecord | undefined) ?? null;
}

export function upsertForm(
  db: Db,
  f: {
    id: string;
    pageId: string;
    name: string;
    status: string;
    locale: string | null;
    leadsCount: number | null;
    questions: FormQuestion[];
  },
): void {
  stmt(
    db,
    `INSERT INTO forms (id, page_id, name, status, locale, leads_count, questions)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(id) DO UPDATE SET page_id = excluded.page_id, name = excluded.name, status = excluded.status,
       locale = excluded.locale, leads_count = excluded.leads_count, questions = excluded.questions`,
  ).run(f.id, f.pageId, f.name, f.status, f.locale, f.leadsCount, JSON.stringify(f.questions));
}

export function questionsOf(form: FormRecord | null): FormQuestion[] {
  if (!form) return [];
  try {
    return JSON.parse(form.questions) as FormQuestion[];
  } catch {
    return [];
  }
}

function toForm(f: FormRecord): Form {
  return {
    id: f.id,
    pageId: f.page_id,
    name: f.name,
    status: f.status,
    locale: f.locale,
    leadsCount: f.leads_count,
    questions: questionsOf(f),
    lastSyncAt: f.last_sync_at,
  };
}

/**
 * What pages.list and pages.changed carry: pages of connected accounts, with forms and counts.
 * `state <> 'complete'` lets the pending and failed counts use leads_page_unfinished (migration 0013).
 */
export function listPageSummaries(db: Db): PageSummary[] {
  const pages = stmt(
    db,
    `SELECT p.*, a.name AS account_name,
         (SELECT count(*) FROM leads l WHERE l.page_id = p.id) AS leads_count,
         (SELECT count(*) FROM leads l
           WHERE l.page_id = p.id AND l.state <> 'complete' AND l.state = 'pending') AS pending,
         (SELECT count(*) FROM leads l
           WHERE l.page_id = p.id AND l.state <> 'complete' AND l.state = 'failed') AS failed
       FROM pages p LEFT JOIN accounts a ON a.id = p.account_id
       WHERE p.account_id IS NOT NULL ORDER BY p.name`,
  ).all() as (PageRecord & {
    account_name: string | null;
    leads_count: number;
    pending: number;
    failed: number;
  })[];
  return pages.map((p) => toPageSummary(db, p));
}

export function getPageSummary(db: Db, id: string): PageSummary | null {
  return listPageSummaries(db).find((p) => p.id === id) ?? null;
}

function toPageSummary(
  db: Db,
  p: PageRecord & {
    account_name: string | null;
    leads_count: number;
    pending: number;
    failed: number;
  },
): PageSummary {
  return {
    id: p.id,
    name: p.name,
    accountId: p.account_id,
    accountName: p.account_name,
    enabled: p.enabled === 1,
    instagramId: p.instagram_id,
    status: p.status,
    error: p.error_code
      ? { code: p.error_code, message: p.error_message ?? '', fix: p.error_fix }
      : null,
    lastSyncAt: p.last_sync_at,
    nextSyncAt: p.next_sync_at,
    leadsCount: p.leads_count,
    pendingLeads: p.pending,
    failedLeads: p.failed,
    subscribed: p.subscribed_at !== null,
    bound: p.bound_at !== null,
    forms: formsOfPage(db, p.id).map(toForm),
  };
}
