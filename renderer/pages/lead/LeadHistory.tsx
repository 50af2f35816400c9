import { useEffect } from 'react';
import { formatDateTime } from '../../format';
import { useCall } from '../../hooks/useCall';

const fieldLabel: Record<string, string> = { status: 'Stage', tag: 'Tag', notes: 'Notes', follow_up: 'Follow-up' };

function describe(field: string, from: string | null, to: string | null): string {
  if (field === 'tag') return to ? `Tagged "${to}"` : `Removed tag "${from}"`;
  if (field === 'notes') return 'Notes edited';
  if (field === 'follow_up') return to ? `Follow-up set for ${formatDateTime(Number(to))}` : 'Follow-up cleared';
  return `${fieldLabel[field] ?? field}: ${from ?? '—'} → ${to ?? '—'}`;
}

/** The lead's change log; `version` bumps when the lead changes, which reloads it. */
export function LeadHistory({ id, version }: { id: string; version: number }) {
  const history = useCall('leads.history', { id });
  const { reload } = history;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  const entries = history.data;
  return (
    <>
      <h3>History</h3>
      {!entries || entries.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ol className="history">
          {entries.map((h, i) => (
            <li key={i}>
              <time dateTime={new Date(h.at).toISOString()}>{formatDateTime(h.at)}</time> {describe(h.field, h.from, h.to)}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
