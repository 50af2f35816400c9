import { useEffect, type ReactNode } from 'react';
import type { LeadRow } from '../../../shared/index';
import { call } from '../../api/client';
import { formatDateTime } from '../../format';

export interface Column {
  key: string;
  label: string;
  /** CSS grid track size. */
  width: string;
  render(row: LeadRow): ReactNode;
}

const text = (v: string | null) => v ?? '';

export const allColumns: Column[] = [
  { key: 'name', label: 'Name', width: 'minmax(10rem, 2fr)', render: (r) => r.name ?? (r.state === 'pending' ? 'Fetching…' : 'No name') },
  { key: 'phone', label: 'Phone', width: 'minmax(10rem, 1.4fr)', render: (r) => text(r.phone) },
  { key: 'email', label: 'Email', width: 'minmax(10rem, 2fr)', render: (r) => text(r.email) },
  { key: 'status', label: 'Status', width: 'minmax(6rem, 1fr)', render: (r) => <span className={`status status-${r.status}`}>{r.status}</span> },
  { key: 'form', label: 'Form', width: 'minmax(8rem, 1.5fr)', render: (r) => text(r.formName ?? r.formId) },
  { key: 'page', label: 'Page', width: 'minmax(8rem, 1.2fr)', render: (r) => text(r.pageName ?? r.pageId) },
  { key: 'platform', label: 'Platform', width: 'minmax(5rem, 0.8fr)', render: (r) => text(r.platform) },
  { key: 'company', label: 'Company', width: 'minmax(8rem, 1.2fr)', render: (r) => text(r.company) },
  { key: 'city', label: 'City', width: 'minmax(6rem, 1fr)', render: (r) => text(r.city) },
  { key: 'tags', label: 'Tags', width: 'minmax(6rem, 1fr)', render: (r) => r.tags.join(', ') },
  { key: 'created', label: 'Created', width: 'minmax(9rem, 1.3fr)', render: (r) => formatDateTime(r.createdTime) },
  { key: 'followUp', label: 'Follow-up', width: 'minmax(9rem, 1.3fr)', render: (r) => (r.followUpAt ? formatDateTime(r.followUpAt) : '') },
  { key: 'firstContact', label: 'First contact', width: 'minmax(9rem, 1.3fr)', render: (r) => (r.firstContactAt ? formatDateTime(r.firstContactAt) : '') },
];

export const defaultColumns = ['name', 'phone', 'email', 'status', 'form', 'created'];

const storageKey = 'leadInbox.columns';

const isColumnChoice = (keys: unknown): keys is string[] =>
  Array.isArray(keys) && keys.length > 0 && keys.every((k) => allColumns.some((c) => c.key === k));

/** The last choice seen on this origin, so the table paints with it before main answers. */
export function loadColumns(): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as unknown;
    if (isColumnChoice(stored)) return stored;
  } catch {
    // Ignore a damaged preference and use the defaults.
  }
  return defaultColumns;
}

/**
 * Saves the choice in main's settings (what survives a restart: the Node host's port, hence the
 * renderer's origin and its localStorage, changes every run) and in localStorage for the first paint.
 */
export function storeColumns(keys: string[]): void {
  localStorage.setItem(storageKey, JSON.stringify(keys));
  call('settings.update', { leadsTable: { columns: keys } }).catch(() => {
    // The choice still applies now; it is just not kept for the next start.
  });
}

/** Applies the choice kept in main's settings once it is known (a fresh origin starts on defaults). */
export function useStoredColumns(apply: (keys: string[]) => void): void {
  useEffect(() => {
    let live = true;
    call('settings.get', {}).then(
      (s) => {
        if (!live || !isColumnChoice(s.leadsTable.columns)) return;
        localStorage.setItem(storageKey, JSON.stringify(s.leadsTable.columns));
        apply(s.leadsTable.columns);
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [apply]);
}
