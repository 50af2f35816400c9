import type { ReactNode } from 'react';
import type { LeadRow } from '../../../shared/index';
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

export function loadColumns(): string[] {
  try {
    const stored = JSON.parse(localStorage.getItem(storageKey) ?? 'null') as unknown;
    if (Array.isArray(stored) && stored.length && stored.every((k) => allColumns.some((c) => c.key === k))) return stored as string[];
  } catch {
    // Ignore a damaged preference and use the defaults.
  }
  return defaultColumns;
}

export function storeColumns(keys: string[]): void {
  localStorage.setItem(storageKey, JSON.stringify(keys));
}
