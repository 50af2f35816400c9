import { useState } from 'react';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import { call, errorText } from '../../api/client';
import { formatNumber } from '../../format';
import { ExportControls } from './ExportControls';

interface Props {
  ids: string[];
  stages: string[];
  filter: LeadFilter;
  sort: LeadSort;
  onClear(): void;
}

/** Actions on the selected leads: one stage, a tag, an export. */
export function BulkBar(p: Props) {
  const [tag, setTag] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const run = (work: Promise<{ updated: number }>, what: string) =>
    work.then(
      (r) => setMessage(`${what}: ${formatNumber(r.updated)} changed.`),
      (e: unknown) => setMessage(errorText(e)),
    );
  return (
    <div className="bulk" role="region" aria-label="Selected leads">
      <strong>{formatNumber(p.ids.length)} selected</strong>
      <label>
        Move to
        <select
          value=""
          onChange={(e) => e.target.value && void run(call('leads.setStatus', { ids: p.ids, status: e.target.value }), `Moved to ${e.target.value}`)}
        >
          <option value="">Stage…</option>
          {p.stages.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Tag</span>
        <input value={tag} placeholder="Tag" onChange={(e) => setTag(e.target.value)} />
      </label>
      <button type="button" disabled={!tag.trim()} onClick={() => void run(call('leads.tag', { ids: p.ids, add: [tag.trim()] }), `Tagged ${tag.trim()}`)}>
        Add tag
      </button>
      <button type="button" disabled={!tag.trim()} onClick={() => void run(call('leads.tag', { ids: p.ids, remove: [tag.trim()] }), `Untagged ${tag.trim()}`)}>
        Remove tag
      </button>
      <ExportControls filter={p.filter} sort={p.sort} ids={p.ids} />
      <button type="button" onClick={p.onClear}>
        Clear selection
      </button>
      <span role="status">{message}</span>
    </div>
  );
}
