import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import type { LeadRow } from '../../../shared/index';
import type { Db } from '../store/db';
import { leadJoins, leadRowColumns, toLeadRow, type LeadRowRecord } from '../store/leads';
import { likeFragment, parseSearch } from './search';

export interface ListQuery extends LeadFilter {
  sort: LeadSort;
  offset: number;
  limit: number;
  after?: { key: number | string; id: string } | undefined;
}

interface Where {
  /** Extra FROM clause (the FTS match set), joined before the filters. */
  from: string;
  sql: string;
  params: unknown[];
  /** Set when the filter is only an indexable search: the match set alone answers it. */
  matchOnly: string | null;
}

/** The FTS match set with each lead's created_time (migration 0005), no `leads` rows touched. */
const matchSet = `SELECT s.lead_id, s.created_time FROM leads_fts JOIN lead_search_ids s ON s.doc = leads_fts.rowid
                   WHERE leads_fts MATCH ?`;

/**
 * Builds the WHERE for a filter. Kept in one place: the list, the count and the export all use it,
 * so what the owner sees, what the header counts and what the file holds always agree.
 */
export function buildWhere(filter: LeadFilter): Where {
  const parts: string[] = [];
  const params: unknown[] = [];
  let from = 'leads l';
  const search = parseSearch(filter.query);
  if (search.match) {
    // Start from the (usually small) match set and sort it, rather than walking the whole
    // created-time index probing each lead against the matches.
    from = `(${matchSet}) m JOIN leads l ON l.id = m.lead_id`;
    params.push(search.match);
  }
  for (const word of search.short) {
    parts.push(`(l.full_name LIKE ? ESCAPE '\\' OR l.email LIKE ? ESCAPE '\\' OR l.phone LIKE ? ESCAPE '\\')`);
    const like = likeFragment(word);
    params.push(like, like, like);
  }
  const inList = (column: string, values: readonly unknown[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${column} IN (${values.map(() => '?').join(',')})`);
    params.push(...values);
  };
  inList('l.page_id', filter.pageIds);
  inList('l.form_id', filter.formIds);
  inList('l.platform', filter.platforms);
  inList('l.status', filter.statuses);
  if (filter.tags && filter.tags.length > 0) {
    parts.push(`l.id IN (SELECT lead_id FROM lead_tags WHERE tag IN (${filter.tags.map(() => '?').join(',')}))`);
    params.push(...filter.tags);
  }
  if (filter.from !== undefined) {
    parts.push('l.created_time >= ?');
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    parts.push('l.created_time < ?');
    params.push(filter.to);
  }
  if (filter.uncontacted) parts.push('l.first_contact_at IS NULL');
  return {
    from,
    sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '',
    params,
    matchOnly: search.match && parts.length === 0 ? search.match : null,
  };
}

interface SortSpec {
  order: string;
  /** Column whose value is the keyset cursor; null = this order pages by offset only. */
  keyColumn: string | null;
  /** Condition "strictly after (key, id)" for keyset paging. */
  after: string | null;
}

// Directions match the indexes of 0001/0004 (created_time DESC, id ASC) so SQLite walks them
// without a sort step, forwards or backwards.
const sorts: Record<LeadSort, SortSpec> = {
  created_desc: {
    order: 'l.created_time DESC, l.id ASC',
    keyColumn: 'created_time',
    // The leading range term lets SQLite seek the index; an OR alone makes it scan from the top.
    after: '(l.created_time <= ? AND (l.created_time < ? OR l.id > ?))',
  },
  created_asc: {
    order: 'l.created_time ASC, l.id DESC',
    keyColumn: 'created_time',
    after: '(l.created_time >= ? AND (l.created_time > ? OR l.id < ?))',
  },
  name_asc: { order: 'l.full_name ASC, l.id ASC', keyColumn: null, after: null },
  name_desc: { order: 'l.full_name DESC, l.id DESC', keyColumn: null, after: null },
  status_asc: { order: 'l.status ASC, l.created_time DESC, l.id ASC', keyColumn: null, after: null },
};

export interface ListResult {
  rows: LeadRow[];
  total: number;
  next: { key: number; id: string } | null;
}

/** Reads one window of the list: the ids first over the indexes, then the full rows of just those. */
export function listLeads(db: Db, q: ListQuery, total: number): ListResult {
  const where = buildWhere(q);
  const spec = sorts[q.sort];
  if (where.matchOnly && spec.keyColumn) return listMatches(db, q, where.matchOnly, total);
  let sql = where.sql;
  const params = [...where.params];
  let offset = q.offset;
  if (q.after && spec.after) {
    sql += `${sql ? ' AND ' : 'WHERE '}${spec.after}`;
    params.push(q.after.key, q.after.key, q.after.id);
    offset = 0;
  }
  const records = db
    .prepare(
      `SELECT ${leadRowColumns} FROM leads l ${leadJoins}
        WHERE l.rowid IN (SELECT l.rowid FROM ${where.from} ${sql} ORDER BY ${spec.order} LIMIT ? OFFSET ?)
        ORDER BY ${spec.order}`,
    )
    .all(...params, q.limit, offset) as LeadRowRecord[];
  const rows = records.map(toLeadRow);
  const last = records.at(-1);
  const next =
    spec.keyColumn && last && rows.length === q.limit ? { key: last.created_time, id: last.id } : null;
  return { rows, total, next };
}

/**
 * A plain search sorted by date: page through the match set on lead_search_ids.created_time
 * (same order and tie-break as the list), then read the full rows of just that page.
 */
function listMatches(db: Db, q: ListQuery, match: string, total: number): ListResult {
  const desc = q.sort === 'created_desc';
  const order = desc ? 'created_time DESC, lead_id ASC' : 'created_time ASC, lead_id DESC';
  const params: unknown[] = [match];
  let after = '';
  let offset = q.offset;
  if (q.after) {
    after = desc
      ? 'AND s.created_time <= ? AND (s.created_time < ? OR s.lead_id > ?)'
      : 'AND s.created_time >= ? AND (s.created_time > ? OR s.lead_id < ?)';
    params.push(q.after.key, q.after.key, q.after.id);
    offset = 0;
  }
  const records = db
    .prepare(
      `SELECT ${leadRowColumns} FROM (${matchSet} ${after} ORDER BY ${order.replace(/(created_time|lead_id)/g, 's.$1')} LIMIT ? OFFSET ?) page
         JOIN leads l ON l.id = page.lead_id ${leadJoins}
        ORDER BY ${sorts[q.sort].order}`,
    )
    .all(...params, q.limit, offset) as LeadRowRecord[];
  const rows = records.map(toLeadRow);
  const last = records.at(-1);
  return { rows, total, next: last && rows.length === q.limit ? { key: last.created_time, id: last.id } : null };
}

/** Rows the filter matches, cached until the next write on this connection (total_changes()). */
export function createCounter(db: Db) {
  const cache = new Map<string, { changes: number; n: number }>();
  const changesStmt = db.prepare('SELECT total_changes() AS c');
  return (filter: LeadFilter): number => {
    const where = buildWhere(filter);
    const key = JSON.stringify([where.from, where.sql, where.params]);
    const changes = (changesStmt.get() as { c: number }).c;
    const hit = cache.get(key);
    if (hit && hit.changes === changes) return hit.n;
    // Every lead has exactly one search row (triggers), so a plain search counts FTS matches alone.
    const n = where.matchOnly
      ? (db.prepare('SELECT count(*) AS n FROM leads_fts WHERE leads_fts MATCH ?').get(where.matchOnly) as { n: number }).n
      : (db.prepare(`SELECT count(*) AS n FROM ${where.from} ${where.sql}`).get(...where.params) as { n: number }).n;
    if (cache.size > 50) cache.clear();
    cache.set(key, { changes, n });
    return n;
  };
}

/** The full ordered select of a filter, for a reader that streams it (export). */
export function orderedSelect(filter: LeadFilter, sort: LeadSort, columns: string): { sql: string; params: unknown[] } {
  const where = buildWhere(filter);
  return {
    sql: `SELECT ${columns} FROM ${where.from} ${leadJoins} ${where.sql} ORDER BY ${sorts[sort].order}`,
    params: where.params,
  };
}
