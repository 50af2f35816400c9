import type { CapiEvent } from '../../shared/index';
import { call, errorText } from '../api/client';
import { formatDateTime } from '../format';
import { useCall } from '../hooks/useCall';
import { useState } from 'react';

const statusLabel: Record<CapiEvent['status'], string> = {
  pending: 'Waiting to send',
  sent: 'Sent to Meta',
  failed: 'Failed',
};

/**
 * A lead's conversion log for Lead detail: which pipeline stages were reported to Meta, when, and
 * Meta's message when one failed. Updates live on `conversions.updated`.
 * Usage: `<ConversionLog leadId={lead.id} />`.
 */
export function ConversionLog({ leadId }: { leadId: string }) {
  const { data, error, loading, reload } = useCall('conversions.forLead', { leadId }, ['conversions.updated']);
  const [retryError, setRetryError] = useState<string | null>(null);
  const events = data?.events ?? [];
  const anyFailed = events.some((e) => e.status === 'failed');

  async function retry() {
    setRetryError(null);
    try {
      await call('conversions.retry', { leadId });
      reload();
    } catch (e) {
      setRetryError(errorText(e));
    }
  }

  return (
    <section className="conversion-log" aria-labelledby={`conv-log-${leadId}`} data-testid="conversion-log">
      <h3 id={`conv-log-${leadId}`}>Reported to Meta</h3>
      {error && <p role="alert">{error}</p>}
      {!loading && !error && events.length === 0 && (
        <p className="muted" style={{ color: 'var(--muted, #666)' }}>
          Nothing reported yet. Stages you map in Settings → Conversions are sent when the lead reaches them.
        </p>
      )}
      {events.length > 0 && (
        <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
          {events.map((e) => (
            <li key={e.id} data-status={e.status} style={{ padding: '4px 0', borderBottom: '1px solid var(--border, #ddd)' }}>
              <strong>{e.eventName}</strong> <span className="muted">({e.stage}, {formatDateTime(e.eventTime)})</span>
              {' — '}
              <span style={{ color: statusColor(e.status) }}>{statusLabel[e.status]}</span>
              {e.status === 'sent' && e.sentAt !== null && <span className="muted"> {formatDateTime(e.sentAt)}</span>}
              {e.testEventCode && <span className="badge"> test event</span>}
              {e.status === 'pending' && e.lastError && (
                <div className="muted">
                  Will retry {e.nextAttemptAt ? formatDateTime(e.nextAttemptAt) : 'soon'}: {e.lastError}
                </div>
              )}
              {e.status === 'failed' && e.lastError && <div role="note">Meta said: {e.lastError}</div>}
            </li>
          ))}
        </ul>
      )}
      {anyFailed && (
        <button type="button" onClick={() => void retry()}>
          Retry failed
        </button>
      )}
      {retryError && <p role="alert">{retryError}</p>}
    </section>
  );
}

function statusColor(status: CapiEvent['status']): string {
  if (status === 'sent') return 'var(--ok, #2e7d32)';
  if (status === 'failed') return 'var(--danger, #c62828)';
  return 'var(--muted, #666)';
}
