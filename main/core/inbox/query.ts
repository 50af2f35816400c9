import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import type { LeadRow } from '../../../shared/index';
import type { Db } from '../store/db';
import { leadJoins, leadRowColumns, toLeadRow, type LeadRowRecord } from '../store/leads';
import { stmt } from '../store/statements';
import { likeFragment, parseSearch } from './search';

export interface ListQuery extends LeadFilter {
  sort: LeadSort;
  offset: number;
  limit: number;
  after?: { key: number | string; id: string } | undefined;
}

export interface Where {
  /** Extra FROM clause (the FTS match set), joined before the filters. */
  from: string;
  sql: string;
  params: unknown[];
  /** Set when the filter is only an indexable search: the match set alone answers it. */
  matchOnly: string | null;
}

/** The FTS match set: the search doc ids of the matching leads (migrations 0005, 0012). */
const matchSet = 'SELECT rowid AS doc FROM leads_fts WHERE leads_fts MATCH ?';

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
    from = `(${matchSet}) m JOIN leads l ON l.search_doc = m.doc`;
    params.push(search.match);
  }
  for (const word of search.short) {
    parts.push(
      `(l.full_name LIKE ? ESCAPE '\\' OR l.email LIKE ? ESCAPE '\\' OR l.phone LIKE ? ESCAPE '\\')`,
    );
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
    parts.push(
      `l.id IN (SELECT lead_id FROM lead_tags WHERE tag IN (${filter.tags.map(() => '?').join(',')}))`,
    );
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
  status_asc: {
    order: 'l.status ASC, l.created_time DESC, l.id ASC',
    keyColumn: null,
    after: null,
  },
};

export interface ListResult {
  rows: LeadRow[];
  total: number;
  /** total is a lower bound: the search matches more than searchCountCap leads. */
  totalCapped?: boolean;
  next: { key: number; id: string } | null;
}

/** Reads one window of the list: the ids first over the indexes, then the full rows of just those. */
export function listLeads(
  db: Db,
  q: ListQuery,
  count: { total: number; capped: boolean },
): ListResult {
  const result = listWindow(db, q, count.total);
  return count.capped ? { ...result, totalCapped: true } : result;
}

function listWindow(db: Db, q: ListQuery, total: number): ListResult {
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
    spec.keyColumn && last && rows.length === q.limit
      ? { key: last.created_time, id: last.id }
      : null;
  return { rows, total, next };
}

/**
 * A plain search sorted by date: the FTS rowid is the lead's doc id, ordered by created_time
 * (migration 0005), so FTS5 hands back the newest (or oldest) matches first and stops at the page
 * size instead of sorting every match. The cursor's lead id locates its doc id.
 */
function listMatches(db: Db, q: ListQuery, match: string, total: number): ListResult {
  const desc = q.sort === 'created_desc';
  const params: unknown[] = [match];
  let after = '';
  let offset = q.offset;
  if (q.after) {
    after = `AND rowid ${desc ? '<' : '>'} (SELECT search_doc FROM leads WHERE id = ?)`;
    params.push(q.after.id);
    offset = 0;
  }
  const docs = `SELECT rowid AS doc FROM leads_fts WHERE leads_fts MATCH ? ${after}
                 ORDER BY rowid ${desc ? 'DESC' : 'ASC'} LIMIT ? OFFSET ?`;
  return pageOfDocs(db, q, docs, [...params, q.limit, offset], total);
}

/** The leads of a page of search docs (`docsSql` selects `doc`), in doc order, with the cursor. */
function pageOfDocs(
  db: Db,
  q: ListQuery,
  docsSql: string,
  params: unknown[],
  total: number,
): ListResult {
  const desc = q.sort === 'created_desc';
  const records = db
    .prepare(
      `SELECT ${leadRowColumns}, page.doc FROM (${docsSql}) page
         JOIN leads l ON l.search_doc = page.doc ${leadJoins}
        ORDER BY page.doc ${desc ? 'DESC' : 'ASC'}`,
    )
    .all(...params) as LeadRowRecord[];
  return matchPage(q, records, total);
}

function matchPage(q: ListQuery, records: LeadRowRecord[], total: number): ListResult {
  const rows = records.map(toLeadRow);
  const last = records.at(-1);
  return {
    rows,
    total,
    next: last && rows.length === q.limit ? { key: last.created_time, id: last.id } : null,
  };
}

/**
 * The list as the Leads view asks for it. The first page of a plain search sorted by date, when
 * its count is not cached, is read in the same walk of the match set as the count: FTS5 walks its
 * doclists in rowid order (cheapest forwards), the doc ids up to the count cap are kept, and when
 * that is every match the page is their newest (or oldest) `limit`. Counting and listing apart
 * walked the same doclists twice: at 1,000,000 leads a fragment of common trigrams matching 444
 * leads took 16 ms to count and 8 more to list. A search past the cap lists its page by a second,
 * early-stopping walk from the newest end. Doc ids exceed 2^53, so they are read as BigInt.
 */
export function listLeadsCounted(db: Db, q: ListQuery, counter: Counter): ListResult {
  const where = buildWhere(q);
  if (
    !where.matchOnly ||
    !sorts[q.sort].keyColumn ||
    q.offset !== 0 ||
    q.after ||
    counter.cached(where)
  )
    return listLeads(db, q, counter(q));
  const docs = stmt(db, 'SELECT rowid FROM leads_fts WHERE leads_fts MATCH ? LIMIT ?')
    .pluck()
    .safeIntegers(true)
    .all(where.matchOnly, counter.cap + 1) as bigint[];
  const n = { total: Math.min(docs.length, counter.cap), capped: docs.length > counter.cap };
  counter.remember(where, n);
  if (n.capped) return listLeads(db, q, n);
  const page = q.sort === 'created_desc' ? docs.slice(-q.limit).reverse() : docs.slice(0, q.limit);
  return pageOfDocs(
    db,
    q,
    'SELECT value AS doc FROM json_each(?)',
    [`[${page.join(',')}]`],
    n.total,
  );
}

/**
 * A plain search counts at most this many matches: counting every match of a broad fragment costs
 * more than the page itself (about 13 ms for 10,000 matches of "555-12" at 1,000,000 leads), and
 * "1,000+" tells the owner as much; the table grows as they scroll on (useLeadWindows). Searches
 * with filters count exactly.
 */
export const searchCountCap = 1_000;

export interface SearchCount {
  total: number;
  capped: boolean;
}

/** Rows the filter matches, cached until the next write on this connection (total_changes()). */
export interface Counter {
  (filter: LeadFilter): SearchCount;
  readonly cap: number;
  /** The count of this filter (as buildWhere made it) if taken since the last write, else null. */
  cached(where: Where): SearchCount | null;
  remember(where: Where, n: SearchCount): void;
}

export function createCounter(db: Db, cap = searchCountCap): Counter {
  const cache = new Map<string, { changes: number; n: SearchCount }>();
  const changesStmt = db.prepare('SELECT total_changes() AS c');
  const changes = () => (changesStmt.get() as { c: number }).c;
  const keyOf = (where: Where) => JSON.stringify([where.from, where.sql, where.params]);
  const hitOf = (key: string): SearchCount | null => {
    const hit = cache.get(key);
    return hit && hit.changes === changes() ? hit.n : null;
  };
  const store = (key: string, n: SearchCount) => {
    if (cache.size > 50) cache.clear();
    cache.set(key, { changes: changes(), n });
  };
  const count = (filter: LeadFilter): SearchCount => {
    const where = buildWhere(filter);
    const key = keyOf(where);
    const hit = hitOf(key);
    if (hit) return hit;
    // Every lead has exactly one search row (triggers), so a plain search counts FTS matches alone.
    const counted = where.matchOnly
      ? (
          db
            .prepare(
              'SELECT count(*) AS n FROM (SELECT 1 FROM leads_fts WHERE leads_fts MATCH ? LIMIT ?)',
            )
            .get(where.matchOnly, cap + 1) as { n: number }
        ).n
      : (
          db
            .prepare(`SELECT count(*) AS n FROM ${where.from} ${where.sql}`)
            .get(...where.params) as { n: number }
        ).n;
    const n = {
      total: Math.min(counted, where.matchOnly ? cap : counted),
      capped: where.matchOnly !== null && counted > cap,
    };
    store(key, n);
    return n;
  };
  return Object.assign(count, {
    cap,
    cached: (where: Where) => hitOf(keyOf(where)),
    remember: (where: Where, n: SearchCount) => store(keyOf(where), n),
  });
}

/** The full ordered select of a filter, for a reader that streams it (export). */
export function orderedSelect(
  filter: LeadFilter,
  sort: LeadSort,
  columns: string,
): { sql: string; params: unknown[] } {
  const where = buildWhere(filter);
  return {
    sql: `SELECT ${columns} FROM ${where.from} ${leadJoins} ${where.sql} ORDER BY ${sorts[sort].order}`,
    params: where.params,
  };
}
