import { memo, useEffect, useRef, useState, type RefObject } from 'react';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import type { MethodOutput } from '../../../shared/index';
import { allColumns } from './columns';

type Facets = MethodOutput<'leads.facets'>;

interface Props {
  filter: LeadFilter;
  sort: LeadSort;
  columns: string[];
  facets: Facets | null;
  stages: string[];
  searchRef: RefObject<HTMLInputElement | null>;
  onFilter(f: LeadFilter): void;
  onSort(s: LeadSort): void;
  onColumns(keys: string[]): void;
}

const sortLabels: Record<LeadSort, string> = {
  created_desc: 'Newest first',
  created_asc: 'Oldest first',
  name_asc: 'Name A–Z',
  name_desc: 'Name Z–A',
  status_asc: 'Status',
};

/** Local-day boundaries for the date inputs (an empty field clears that side of the range). */
const dayStart = (value: string) => (value ? new Date(`${value}T00:00:00`).getTime() : undefined);
const dayValue = (ms: number | undefined) => {
  if (ms === undefined) return '';
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function one<T extends string>(values: T[] | undefined): string {
  return values?.[0] ?? '';
}

/** Typing pauses this long before a search runs, so each keystroke does not query a million rows. */
const searchDelayMs = 150;

export const FilterBar = memo(function FilterBar(p: Props) {
  const [query, setQuery] = useState(p.filter.query ?? '');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  // The debounced search applies to the filter as it is then, not as it was at the keystroke.
  const latest = useRef(p);
  useEffect(() => {
    latest.current = p;
  });
  const set = (patch: Partial<LeadFilter>) => {
    const next: LeadFilter = { ...latest.current.filter, ...patch };
    for (const k of Object.keys(next) as (keyof LeadFilter)[]) {
      const v = next[k];
      if (v === undefined || v === '' || v === false || (Array.isArray(v) && v.length === 0)) delete next[k];
    }
    latest.current.onFilter(next);
  };
  const pick = (v: string) => (v ? [v] : undefined);
  return (
    <form className="filters" role="search" aria-label="Search and filter leads" onSubmit={(e) => e.preventDefault()}>
      <label className="search">
        <span className="visually-hidden">Search leads</span>
        <input
          ref={p.searchRef}
          type="search"
          placeholder="Search name, phone, email, answers…  ( / )"
          value={query}
          onChange={(e) => {
            const value = e.target.value;
            setQuery(value);
            window.clearTimeout(timer.current);
            timer.current = window.setTimeout(() => set({ query: value.trim() || undefined }), searchDelayMs);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' || e.key === 'Enter') (e.target as HTMLInputElement).blur();
          }}
        />
      </label>
      <label>
        Page
        <select value={one(p.filter.pageIds)} onChange={(e) => set({ pageIds: pick(e.target.value) })}>
          <option value="">All pages</option>
          {p.facets?.pages.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Form
        <select value={one(p.filter.formIds)} onChange={(e) => set({ formIds: pick(e.target.value) })}>
          <option value="">All forms</option>
          {p.facets?.forms
            .filter((f) => !p.filter.pageIds?.length || p.filter.pageIds.includes(f.pageId))
            .map((x) => (
              <option key={x.id} value={x.id}>
                {x.name}
              </option>
            ))}
        </select>
      </label>
      <label>
        Platform
        <select
          value={one(p.filter.platforms)}
          onChange={(e) => set({ platforms: e.target.value ? [e.target.value as 'facebook' | 'instagram'] : undefined })}
        >
          <option value="">Any</option>
          <option value="facebook">Facebook</option>
          <option value="instagram">Instagram</option>
        </select>
      </label>
      <label>
        Status
        <select value={one(p.filter.statuses)} onChange={(e) => set({ statuses: pick(e.target.value) })}>
          <option value="">Any</option>
          {p.stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tag
        <select value={one(p.filter.tags)} onChange={(e) => set({ tags: pick(e.target.value) })}>
          <option value="">Any</option>
          {p.facets?.tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={dayValue(p.filter.from)} onChange={(e) => set({ from: dayStart(e.target.value) })} />
      </label>
      <label>
        To
        <input
          type="date"
          value={p.filter.to === undefined ? '' : dayValue(p.filter.to - 1)}
          onChange={(e) => {
            const start = dayStart(e.target.value);
            set({ to: start === undefined ? undefined : start + 86_400_000 });
          }}
        />
      </label>
      <label className="inline">
        <input type="checkbox" checked={!!p.filter.uncontacted} onChange={(e) => set({ uncontacted: e.target.checked })} />
        Not contacted
      </label>
      <label>
        Sort
        <select value={p.sort} onChange={(e) => p.onSort(e.target.value as LeadSort)}>
          {(Object.keys(sortLabels) as LeadSort[]).map((s) => (
            <option key={s} value={s}>
              {sortLabels[s]}
            </option>
          ))}
        </select>
      </label>
      <details className="columns-picker">
        <summary>Columns</summary>
        <fieldset>
          <legend>Columns to show</legend>
          {allColumns.map((c) => (
            <label key={c.key} className="inline">
              <input
                type="checkbox"
                checked={p.columns.includes(c.key)}
                onChange={(e) =>
                  p.onColumns(
                    e.target.checked
                      ? allColumns.map((x) => x.key).filter((k) => k === c.key || p.columns.includes(k))
                      : p.columns.filter((k) => k !== c.key),
                  )
                }
              />
              {c.label}
            </label>
          ))}
        </fieldset>
      </details>
    </form>
  );
});
