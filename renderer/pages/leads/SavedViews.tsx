import { memo, useState } from 'react';
import type { SavedView } from '../../../shared/api/inbox';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import { call, errorText } from '../../api/client';
import { useCall } from '../../hooks/useCall';

interface Props {
  filter: LeadFilter;
  sort: LeadSort;
  columns: string[];
  onApply(view: SavedView): void;
}

export const SavedViews = memo(function SavedViews(p: Props) {
  const views = useCall('views.list', {});
  const [name, setName] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const save = () => {
    if (!name.trim()) return;
    call('views.save', { name: name.trim(), filter: p.filter, sort: p.sort, columns: p.columns }).then(
      () => {
        setMessage(`Saved "${name.trim()}".`);
        setName('');
        views.reload();
      },
      (e: unknown) => setMessage(errorText(e)),
    );
  };
  return (
    <div className="saved-views">
      <label>
        Saved view
        <select
          value=""
          onChange={(e) => {
            const v = views.data?.find((x) => String(x.id) === e.target.value);
            if (v) p.onApply(v);
          }}
        >
          <option value="">Choose…</option>
          {views.data?.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span className="visually-hidden">Name for this view</span>
        <input value={name} placeholder="Name this view" onChange={(e) => setName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && save()} />
      </label>
      <button type="button" onClick={save} disabled={!name.trim()}>
        Save view
      </button>
      <span role="status">{message}</span>
    </div>
  );
});
