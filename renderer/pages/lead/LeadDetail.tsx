import { useEffect, useRef, useState } from 'react';
import type { LeadDetail as Lead } from '../../../shared/index';
import { call, callIfAvailable, errorText } from '../../api/client';
import { formatAgo, formatDateTime } from '../../format';
import { useCall } from '../../hooks/useCall';
import { useEvent } from '../../hooks/useEvent';
import { LeadHistory } from './LeadHistory';
import { ConversionLog } from '../../components/ConversionLog';
import { SpeedToLeadBadge } from '../../components/SpeedToLead';

interface ThreadLink {
  id: string;
  channel: string;
  title: string;
  unreadCount: number;
  lastMessageAt: number | null;
  lastMessagePreview: string | null;
}

const digits = (phone: string) => phone.replace(/\D+/g, '');

/** A local datetime-local value for a Unix ms time (and back), in the owner's time zone. */
function toLocalInput(ms: number | null): string {
  if (ms == null) return '';
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function LeadDetail({ id, stages, onClose }: { id: string; stages: string[]; onClose(): void }) {
  const lead = useCall('leads.get', { id }, []);
  const [notes, setNotes] = useState<string | null>(null);
  const [tag, setTag] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [threads, setThreads] = useState<ThreadLink[] | null>(null);
  const [historyVersion, setHistoryVersion] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { reload } = lead;

  useEvent('lead.updated', ({ lead: row }) => {
    if (row.id === id) {
      reload();
      setHistoryVersion((v) => v + 1);
    }
  });
  useEffect(() => headingRef.current?.focus(), [id]);
  useEffect(() => {
    callIfAvailable('threads.forLead', { leadId: id }).then(
      (r) => setThreads(r ? (r as { threads: ThreadLink[] }).threads : null),
      () => setThreads(null),
    );
  }, [id]);

  const act = (work: Promise<unknown>, done: string) =>
    work.then(
      () => setMessage(done),
      (e: unknown) => setMessage(errorText(e)),
    );

  if (lead.error && !lead.data) {
    return (
      <aside className="detail" aria-label="Lead">
        <p role="alert">{lead.error}</p>
        <button type="button" onClick={onClose}>Close</button>
      </aside>
    );
  }
  const l: Lead | null = lead.data;
  if (!l) return <aside className="detail" aria-label="Lead" aria-busy="true">Loading…</aside>;
  const name = l.name ?? (l.state === 'pending' ? 'New lead (details on the way)' : 'No name');

  return (
    <aside className="detail" aria-labelledby="lead-title" data-testid="lead-detail">
      <div className="detail-head">
        <h2 id="lead-title" ref={headingRef} tabIndex={-1}>
          {name}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close lead (Esc)">
          ✕
        </button>
      </div>
      <div className="quick-actions">
        {l.phone && <a className="button" href={`tel:${l.phone.replace(/[^\d+]/g, '')}`} onClick={() => void call('leads.contacted', { id: l.id, via: 'call' })}>Call {l.phone}</a>}
        {l.email && <a className="button" href={`mailto:${l.email}`} onClick={() => void call('leads.contacted', { id: l.id, via: 'email' })}>Email</a>}
        {l.phone && (
          <a className="button" href={`https://wa.me/${digits(l.phone)}`} target="_blank" rel="noreferrer noopener" onClick={() => void call('leads.contacted', { id: l.id, via: 'whatsapp' })}>
            WhatsApp
          </a>
        )}
      </div>

      <fieldset className="stages">
        <legend>Pipeline stage</legend>
        {stages.map((s, i) => (
          <button
            key={s}
            type="button"
            aria-pressed={l.status === s}
            onClick={() => void act(call('leads.setStatus', { ids: [l.id], status: s }), `Moved to ${s}.`)}
          >
            {i < 9 && <kbd aria-hidden="true">{i + 1}</kbd>} {s}
          </button>
        ))}
      </fieldset>
      <p className="muted" data-testid="lead-status">
        Status: <strong>{l.status}</strong>
      </p>

      <h3>Answers</h3>
      {l.answers.length === 0 ? (
        <p className="muted">{l.state === 'pending' ? 'Fetching the answers…' : 'No answers.'}</p>
      ) : (
        <dl className="answers">
          {l.answers.map((a) => (
            <div key={a.key}>
              <dt>{a.label || a.key}</dt>
              <dd>{a.values.join(', ') || '—'}</dd>
            </div>
          ))}
        </dl>
      )}

      <h3>Source</h3>
      <dl className="facts">
        <div><dt>Form</dt><dd>{l.formName ?? l.formId ?? '—'}</dd></div>
        <div><dt>Page</dt><dd>{l.pageName ?? l.pageId}</dd></div>
        <div><dt>Platform</dt><dd>{l.platform ?? '—'}{l.isOrganic ? ' (organic)' : ''}</dd></div>
        <div><dt>Ad</dt><dd>{l.adName ?? l.adId ?? '—'}</dd></div>
        <div><dt>Campaign</dt><dd>{l.campaignName ?? l.campaignId ?? '—'}</dd></div>
        <div><dt>Created</dt><dd>{formatDateTime(l.createdTime)} ({formatAgo(l.createdTime)})</dd></div>
        <div><dt>First contact</dt><dd>{formatDateTime(l.firstContactAt)} <SpeedToLeadBadge createdTime={l.createdTime} firstContactAt={l.firstContactAt} /></dd></div>
      </dl>

      <h3>Tags</h3>
      <ul className="tags">
        {l.tags.map((t) => (
          <li key={t}>
            {t}{' '}
            <button type="button" aria-label={`Remove tag ${t}`} onClick={() => void act(call('leads.tag', { ids: [l.id], remove: [t] }), `Removed ${t}.`)}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (tag.trim()) void act(call('leads.tag', { ids: [l.id], add: [tag.trim()] }), `Tagged ${tag.trim()}.`).then(() => setTag(''));
        }}
      >
        <label>
          <span className="visually-hidden">New tag</span>
          <input value={tag} placeholder="Add a tag" onChange={(e) => setTag(e.target.value)} />
        </label>
        <button type="submit">Add tag</button>
      </form>

      <h3><label htmlFor="lead-notes">Notes</label></h3>
      <textarea id="lead-notes" rows={4} value={notes ?? l.notes} onChange={(e) => setNotes(e.target.value)} />
      <button type="button" disabled={notes === null || notes === l.notes} onClick={() => void act(call('leads.setNotes', { id: l.id, notes: notes ?? '' }), 'Notes saved.')}>
        Save notes
      </button>

      <h3><label htmlFor="lead-follow-up">Follow-up</label></h3>
      <input
        id="lead-follow-up"
        type="datetime-local"
        value={toLocalInput(l.followUpAt)}
        onChange={(e) => {
          const at = e.target.value ? new Date(e.target.value).getTime() : null;
          void act(call('leads.setFollowUp', { id: l.id, at }), at ? `Reminder set for ${formatDateTime(at)}.` : 'Reminder cleared.');
        }}
      />

      <p role="status" className="muted">{message}</p>

      <h3>Conversations</h3>
      {threads === null ? (
        <p className="muted">Conversations with this person appear here once messaging is connected.</p>
      ) : threads.length === 0 ? (
        <p className="muted">No conversations with this person yet.</p>
      ) : (
        <ul className="thread-links">
          {threads.map((t) => (
            <li key={t.id}>
              <a href={`#/thread/${encodeURIComponent(t.id)}`}>
                {t.title} · {t.channel}
                {t.unreadCount > 0 && ` · ${t.unreadCount} unread`}
              </a>
              {t.lastMessagePreview && <span className="muted"> — {t.lastMessagePreview}</span>}
            </li>
          ))}
        </ul>
      )}

      <ConversionLog leadId={l.id} />
      <LeadHistory id={l.id} version={historyVersion} />
    </aside>
  );
}
