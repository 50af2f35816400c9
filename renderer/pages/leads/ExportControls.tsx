import { useRef, useState } from 'react';
import type { EventPayload } from '../../../shared/index';
import type { LeadFilter, LeadSort } from '../../../shared/api/leads';
import { call, errorText, isBrowserHost } from '../../api/client';
import { hostToken } from '../../api/hostTransport';
import { formatNumber } from '../../format';
import { useEvent } from '../../hooks/useEvent';

type Progress = EventPayload<'export.progress'>;

/** Export the current view (or the selected leads): written in main, progress shown here. */
export function ExportControls({ filter, sort, ids }: { filter: LeadFilter; sort: LeadSort; ids?: string[] }) {
  const [job, setJob] = useState<{ exportId: string; file: string } | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A small export can finish (and report "done") before export.start's answer has been rendered
  // into `job`; progress for an id not known yet is kept until the answer names it, not dropped.
  const jobId = useRef<string | null>(null);
  const unclaimed = useRef(new Map<string, Progress>());
  useEvent('export.progress', (p) => {
    if (p.exportId === jobId.current) setProgress(p);
    else unclaimed.current.set(p.exportId, p);
  });
  const start = (format: 'csv' | 'vcard') => {
    setError(null);
    setProgress(null);
    jobId.current = null;
    call('export.start', { format, filter, sort, ids }).then(
      (started) => {
        jobId.current = started.exportId;
        setJob(started);
        setProgress(unclaimed.current.get(started.exportId) ?? null);
        unclaimed.current.clear();
      },
      (e: unknown) => setError(errorText(e)),
    );
  };
  const name = job ? job.file.split(/[\\/]/).pop()! : '';
  const href = isBrowserHost ? `/exports/${encodeURIComponent(name)}?token=${encodeURIComponent(hostToken() ?? '')}` : null;
  const label = ids ? 'selected' : 'view';
  return (
    <span className="export">
      <button type="button" onClick={() => start('csv')}>
        Export {label} as CSV
      </button>
      <button type="button" onClick={() => start('vcard')}>
        Export {label} as vCard
      </button>
      <span role="status" aria-live="polite" data-testid="export-status">
        {error && <span className="error">{error}</span>}
        {progress && !progress.done && `Exporting… ${formatNumber(progress.written)} of ${formatNumber(progress.total)}`}
        {progress?.done && !progress.error && (
          <>
            Exported {formatNumber(progress.written)} leads{' '}
            {href ? (
              <a href={href} download={name}>
                Download {name}
              </a>
            ) : (
              <span>to {progress.file}</span>
            )}
          </>
        )}
        {progress?.error && <span className="error">Export failed: {progress.error}</span>}
      </span>
    </span>
  );
}
