import type { Handlers } from '../api/dispatch';
import type { EventBus } from '../events';
import type { Clock, Logger, Notifier } from '../ports';
import type { Db } from '../store/db';
import { defaultTuning, type CoreTuning } from '../tuning';
import { getLeadDetail } from '../store/leads';
import { ApiError, type LeadRow, type Settings } from '../../../shared/index';
import { folderSize } from './dataInfo';
import { deleteAllData, type Disconnects } from './deleteAll';
import { startExport } from './export';
import { createFollowUpScheduler } from './followUps';
import { createMutations, type StatusChange } from './mutations';
import { createCounter, listLeadsCounted } from './query';
import { readStages, writeStages } from './stages';
import { createSearchUpkeep } from './searchUpkeep';
import { homeStats } from './stats';
import { deleteView, listViews, saveView } from './views';

export type InboxMethod =
  | 'leads.list'
  | 'leads.get'
  | 'leads.setStatus'
  | 'leads.tag'
  | 'leads.setNotes'
  | 'leads.setFollowUp'
  | 'leads.history'
  | 'leads.facets'
  | 'stages.list'
  | 'stages.set'
  | 'views.list'
  | 'views.save'
  | 'views.delete'
  | 'home.stats'
  | 'export.start'
  | 'data.info'
  | 'data.deleteAll';

export interface InboxDeps {
  db: Db;
  events: EventBus;
  notifier: Notifier;
  clock: Clock;
  logger: Logger;
  dataDir: string;
  /** Owner preferences (notifications on/off, previews, quiet hours) for follow-up reminders. */
  settings?: () => Settings;
  /** The core's account disconnects, for data.deleteAll (resolved at call time). */
  disconnects?: Disconnects;
  /** Search index merging delays; defaults to production's. */
  searchUpkeep?: CoreTuning['searchUpkeep'];
}

/**
 * The lead query layer behind the Leads, Lead detail and Home views: list/search/filter/sort,
 * owner edits with history, saved views, stages, stats, export and follow-up reminders.
 */
export function createInbox(deps: InboxDeps) {
  const { db, events } = deps;
  const now = () => deps.clock.now();
  const count = createCounter(db);
  const mutations = createMutations(db, now);
  const followUps = createFollowUpScheduler(
    db,
    deps.notifier,
    events,
    now,
    deps.logger,
    deps.settings,
  );
  const searchUpkeep = createSearchUpkeep({
    db,
    events,
    logger: deps.logger,
    tuning: deps.searchUpkeep ?? defaultTuning.searchUpkeep,
  });
  const statusListeners = new Set<(change: StatusChange) => void>();
  const emitUpdated = (rows: LeadRow[]) => {
    for (const lead of rows) events.emit('lead.updated', { lead });
  };

  const handlers: Pick<Handlers, InboxMethod> = {
    'leads.list': (q) => listLeadsCounted(db, q, count),
    'leads.get': ({ id }) => {
      const lead = getLeadDetail(db, id);
      if (!lead) throw new ApiError({ code: 'not_found', message: `No lead with id ${id}.` });
      return lead;
    },
    'leads.setStatus': ({ ids, status }) => {
      const changes = mutations.setStatus(ids, status);
      emitUpdated(changes.map((c) => c.lead));
      for (const c of changes) for (const l of statusListeners) l(c);
      return { updated: changes.length };
    },
    'leads.tag': ({ ids, add, remove }) => {
      const rows = mutations.tag(ids, add, remove);
      emitUpdated(rows);
      return { updated: rows.length };
    },
    'leads.setNotes': ({ id, notes }) => {
      const rows = mutations.setNotes(id, notes);
      emitUpdated(rows);
      return { updated: rows.length };
    },
    'leads.setFollowUp': ({ id, at }) => {
      const rows = mutations.setFollowUp(id, at);
      emitUpdated(rows);
      followUps.check();
      return { updated: rows.length };
    },
    'leads.history': ({ id }) => mutations.readHistory(id),
    'leads.facets': () => ({
      pages: db.prepare('SELECT id, name FROM pages ORDER BY name COLLATE NOCASE').all() as {
        id: string;
        name: string;
      }[],
      forms: db
        .prepare('SELECT id, name, page_id AS pageId FROM forms ORDER BY name COLLATE NOCASE')
        .all() as {
        id: string;
        name: string;
        pageId: string;
      }[],
      tags: db
        .prepare('SELECT DISTINCT tag FROM lead_tags ORDER BY tag LIMIT 500')
        .pluck()
        .all() as string[],
    }),
    'stages.list': () => ({ stages: readStages(db) }),
    'stages.set': ({ stages }) => ({ stages: writeStages(db, stages) }),
    'views.list': () => listViews(db),
    'views.save': (view) => saveView(db, view, now()),
    'views.delete': ({ id }) => ({ deleted: deleteView(db, id) }),
    'home.stats': (input) => homeStats(db, input, now()),
    'data.info': async () => ({
      dataDir: deps.dataDir,
      bytes: await folderSize(deps.dataDir),
      leads: db.prepare('SELECT count(*) FROM leads').pluck().get() as number,
    }),
    'data.deleteAll': async () => {
      if (!deps.disconnects)
        throw new ApiError({
          code: 'internal',
          message: 'Disconnecting accounts is not available here.',
        });
      const result = await deleteAllData(db, deps.dataDir, deps.disconnects);
      events.emit('data.deleted', result);
      return result;
    },
    'export.start': (req) =>
      startExport(db, deps.dataDir, req, now(), (p) => events.emit('export.progress', p)),
  };

  return {
    handlers,
    /** For the conversions area: runs after a status change is committed (e.g. send a CRM event). */
    onStatusChange(listener: (change: StatusChange) => void): () => void {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    searchUpkeep,
    start() {
      followUps.start();
      searchUpkeep.start();
    },
    stop() {
      searchUpkeep.stop();
      followUps.stop();
    },
  };
}
