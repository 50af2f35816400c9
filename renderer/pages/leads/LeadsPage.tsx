import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LeadRow } from '../../../shared/index';
import type { SavedView } from '../../../shared/api/inbox';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import { call } from '../../api/client';
import { isTyping } from '../../app/keys';
import { navigate } from '../../app/route';
import { formatNumber } from '../../format';
import { useCall } from '../../hooks/useCall';
import { useEvent } from '../../hooks/useEvent';
import { LeadDetail } from '../lead/LeadDetail';
import { BulkBar } from './BulkBar';
import { allColumns, loadColumns, storeColumns, useStoredColumns } from './columns';
import { ExportControls } from './ExportControls';
import { FilterBar } from './FilterBar';
import { LeadsTable } from './LeadsTable';
import { SavedViews } from './SavedViews';
import { useLeadWindows } from './useLeadWindows';

const freshForMs = 10_000;

export function LeadsPage({ leadId }: { leadId: string | null }) {
  const [filter, setFilter] = useState<LeadFilter>({});
  const [sort, setSort] = useState<LeadSort>('created_desc');
  const [columnKeys, setColumnKeys] = useState(loadColumns);
  useStoredColumns(setColumnKeys);
  const [filterKey, setFilterKey] = useState(0);
  const [active, setActive] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [announce, setAnnounce] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  const data = useLeadWindows(filter, sort);
  const facets = useCall('leads.facets', {}, ['lead.received', 'lead.updated', 'pages.changed', 'sync.progress']);
  const stagesCall = useCall('stages.list', {});
  const stages = useMemo(() => stagesCall.data?.stages ?? [], [stagesCall.data]);
  const columns = useMemo(() => allColumns.filter((c) => columnKeys.includes(c.key)), [columnKeys]);
  const total = data.total ?? 0;

  useEvent('lead.received', ({ lead }) => {
    setFresh((s) => new Set(s).add(lead.id));
    setAnnounce(`New lead: ${lead.name ?? 'details on the way'}`);
    window.setTimeout(() => setFresh((s) => {
      const next = new Set(s);
      next.delete(lead.id);
      return next;
    }), freshForMs);
  });

  const toggle = useCallback((row: LeadRow) => {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(row.id)) next.delete(row.id);
      else next.add(row.id);
      return next;
    });
  }, []);

  const { rowAt } = data;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === 'Escape' && leadId && !document.querySelector('[role=dialog]')) {
        if (isTyping(e)) return;
        e.preventDefault();
        navigate('leads');
        return;
      }
      if (isTyping(e) || document.querySelector('[role=dialog]')) return;
      const row = rowAt(active);
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        setActive((a) => Math.min(a + 1, Math.max(total - 1, 0)));
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((a) => Math.max(a - 1, 0));
      } else if (e.key === 'Enter' && row) {
        e.preventDefault();
        navigate(`lead/${row.id}`);
      } else if (e.key === 'x' && row) {
        toggle(row);
      } else if (e.key === '/') {
        e.preventDefault();
        searchRef.current?.focus();
      } else if (/^[1-9]$/.test(e.key) && stages[Number(e.key) - 1]) {
        const ids = selected.size ? [...selected] : row ? [row.id] : [];
        if (ids.length) {
          e.preventDefault();
          const status = stages[Number(e.key) - 1]!;
          call('leads.setStatus', { ids, status }).then(
            () => setAnnounce(`${ids.length === 1 ? (row?.name ?? 'Lead') : `${ids.length} leads`} moved to ${status}`),
            () => setAnnounce('Could not change the status.'),
          );
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [active, total, rowAt, leadId, selected, stages, toggle]);

  const changeFilter = useCallback((f: LeadFilter) => {
    setFilter(f);
    setActive(0);
  }, []);
  const changeColumns = useCallback((keys: string[]) => {
    setColumnKeys(keys);
    storeColumns(keys);
  }, []);
  const applyView = useCallback(
    (v: SavedView) => {
      changeFilter(v.filter);
      setSort(v.sort);
      if (v.columns.length) setColumnKeys(v.columns);
      setFilterKey((k) => k + 1);
    },
    [changeFilter],
  );
  const openRow = useCallback((row: LeadRow) => navigate(`lead/${row.id}`), []);

  return (
    <section className={`page leads-page ${leadId ? 'with-detail' : ''}`} aria-labelledby="leads-title">
      <div className="leads-list">
        <div className="page-head">
          <h1 id="leads-title">Leads</h1>
          <span className="count" data-testid="leads-count" aria-live="polite">
            {data.total === null ? 'Loading…' : `${formatNumber(total)}${data.totalCapped ? '+' : ''} ${total === 1 && !data.totalCapped ? 'lead' : 'leads'}`}
          </span>
          <ExportControls filter={filter} sort={sort} />
        </div>
        <FilterBar
          key={filterKey}
          filter={filter}
          sort={sort}
          columns={columnKeys}
          facets={facets.data}
          stages={stages}
          searchRef={searchRef}
          onFilter={changeFilter}
          onSort={setSort}
          onColumns={changeColumns}
        />
        <SavedViews
          filter={filter}
          sort={sort}
          columns={columnKeys}
          onApply={applyView}
        />
        {selected.size > 0 && (
          <BulkBar ids={[...selected]} stages={stages} filter={filter} sort={sort} onClear={() => setSelected(new Set())} />
        )}
        {data.error && <p className="error" role="alert">{data.error}</p>}
        {data.total === 0 ? (
          <p className="empty" data-testid="leads-empty">
            {Object.keys(filter).length ? 'No leads match these filters.' : 'No leads yet. New leads appear here the moment they arrive.'}
          </p>
        ) : (
          <LeadsTable
            total={total}
            rowAt={data.rowAt}
            ensureRange={data.ensureRange}
            columns={columns}
            active={active}
            selected={selected}
            fresh={fresh}
            openId={leadId}
            onActivate={setActive}
            onOpen={openRow}
            onToggle={toggle}
            onToggleAll={() => {
              if (selected.size) return setSelected(new Set());
              const ids = new Set<string>();
              for (let i = 0; i < Math.min(total, 500); i++) {
                const r = data.rowAt(i);
                if (r) ids.add(r.id);
              }
              setSelected(ids);
            }}
          />
        )}
        <div className="visually-hidden" role="status" aria-live="polite">
          {announce}
        </div>
      </div>
      {leadId && <LeadDetail key={leadId} id={leadId} stages={stages} onClose={() => navigate('leads')} />}
    </section>
  );
}
