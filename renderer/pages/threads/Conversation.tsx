import { useCallback, useEffect, useRef, useState } from 'react';
import type { Message, ThreadDetail } from '../../../shared/index';
import { call, errorText } from '../../api/client';
import { useEvent } from '../../hooks/useEvent';
import { Composer } from './Composer';
import { channelName } from './labels';
import { MessageItem } from './MessageItem';

/** Merges a message into the list by id, keeping time order (sending rows become sent in place). */
function upsert(list: Message[], m: Message): Message[] {
  const i = list.findIndex((x) => x.id === m.id);
  if (i >= 0) return list.map((x, j) => (j === i ? m : x));
  const next = [...list, m];
  next.sort((a, b) => a.sentAt - b.sentAt || Number(a.id) - Number(b.id));
  return next;
}

/** One conversation: newest 50 messages first, older on request, live updates, composer, the person's leads. */
export function Conversation({ threadId }: { threadId: string }) {
  const [detail, setDetail] = useState<ThreadDetail | null>(null);
  const [messages, setMessages] = useState<Message[]>([]);
  const [older, setOlder] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const logRef = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);

  const load = useCallback(() => {
    call('threads.get', { threadId, limit: 50 }).then(
      (d) => {
        setDetail(d);
        setMessages(d.messages);
        setOlder(d.olderCursor);
        setError(null);
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [threadId]);

  // Header, window and leads change when the person writes; refresh them (not the messages) at
  // most twice a second, and mark read the same way, so a burst of messages costs two calls.
  const timers = useRef<{ header?: number; read?: number }>({});
  const refreshHeader = useCallback(() => {
    window.clearTimeout(timers.current.header);
    timers.current.header = window.setTimeout(() => {
      call('threads.get', { threadId, limit: 1 }).then(
        (d) => setDetail((old) => (old ? { ...old, thread: d.thread, window: d.window, leads: d.leads } : old)),
        () => {},
      );
    }, 500);
  }, [threadId]);
  const markRead = useCallback(() => {
    window.clearTimeout(timers.current.read);
    timers.current.read = window.setTimeout(() => void call('threads.markRead', { threadId }).catch(() => {}), 500);
  }, [threadId]);
  useEffect(() => {
    const t = timers.current;
    return () => {
      window.clearTimeout(t.header);
      window.clearTimeout(t.read);
    };
  }, []);

  useEffect(() => {
    stickToBottom.current = true;
    setDetail(null);
    setMessages([]);
    load();
    call('threads.markRead', { threadId }).catch(() => {});
  }, [threadId, load]);

  useEvent('message.updated', ({ threadId: t, message }) => {
    if (t !== threadId) return;
    setMessages((list) => upsert(list, message));
    if (message.direction === 'in' && document.visibilityState === 'visible') markRead();
    // A refused reply can close the window (WhatsApp 131047): the composer must offer templates.
    if (message.direction === 'out' && message.status === 'failed') refreshHeader();
  });
  useEvent('thread.updated', ({ threadId: t, thread }) => {
    if (t !== threadId) return;
    // The reply window restarts when the person writes: fetch the new window state.
    if (detail && detail.thread.lastInboundAt !== thread.lastInboundAt) refreshHeader();
    setDetail((d) => (d ? { ...d, thread } : d));
  });

  useEffect(() => {
    const el = logRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const loadOlder = () => {
    if (!older) return;
    stickToBottom.current = false;
    call('threads.get', { threadId, limit: 50, before: older }).then(
      (d) => {
        setMessages((list) => [...d.messages, ...list]);
        setOlder(d.olderCursor);
      },
      (e: unknown) => setNotice(errorText(e)),
    );
  };
  const retry = (messageId: string) =>
    call('threads.retry', { messageId }).then(
      (m) => setMessages((list) => upsert(list, m)),
      (e: unknown) => setNotice(errorText(e)),
    );
  const link = (leadId: string) =>
    call('threads.linkLead', { threadId, leadId }).then(load, (e: unknown) => setNotice(errorText(e)));
  const merge = (otherContactId: number) =>
    detail &&
    call('contacts.merge', { contactId: otherContactId, intoContactId: detail.thread.contactId }).then(load, (e: unknown) =>
      setNotice(errorText(e)),
    );

  if (error && !detail) return <section className="conversation"><p role="alert">{error}</p></section>;
  if (!detail) return <section className="conversation" aria-busy="true"><p className="muted">Loading…</p></section>;
  const t = detail.thread;
  const phone = t.channel === 'whatsapp' && t.handle?.startsWith('+') ? t.handle : null;
  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-head">
        <div>
          <h2 id="conversation-title">{t.title}</h2>
          <p className="muted">
            {channelName[t.channel]}
            {t.accountName ? ` · ${t.accountName}` : ''}
            {phone ? ` · ${phone}` : ''}
          </p>
        </div>
        <div className="quick-actions">
          {phone && <a className="button" href={`tel:${phone}`}>Call</a>}
          {detail.leads.find((l) => l.link === 'linked' && l.email) && (
            <a className="button" href={`mailto:${detail.leads.find((l) => l.link === 'linked' && l.email)!.email}`}>Email</a>
          )}
        </div>
      </header>
      {detail.leads.length > 0 && (
        <ul className="thread-leads" aria-label="This person's leads">
          {detail.leads.map((l) => (
            <li key={l.id}>
              <a href={`#/lead/${encodeURIComponent(l.id)}`}>{l.name ?? l.email ?? l.phone ?? `Lead ${l.id}`}</a>{' '}
              <span className="status">{l.status}</span>
              {l.link === 'suggested' && (
                <>
                  {' '}
                  <span className="muted">same {l.reason}?</span>{' '}
                  <button type="button" onClick={() => void link(l.id)}>
                    Same person
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {detail.samePerson.length > 0 && (
        <ul className="thread-leads" aria-label="Maybe the same person">
          {detail.samePerson.map((o) => (
            <li key={o.id}>
              <span className="muted">Same name on {channelName[o.channel]}:</span>{' '}
              <a href={`#/thread/${encodeURIComponent(o.id)}`}>{o.title}</a>{' '}
              <button type="button" onClick={() => void merge(o.contactId)}>
                Same person
              </button>
            </li>
          ))}
        </ul>
      )}
      {notice && <p role="alert" className="error">{notice}</p>}
      <ol className="messages" ref={logRef} aria-label={`Messages with ${t.title}`} aria-live="polite" aria-relevant="additions text" tabIndex={0}>
        {older && (
          <li className="older">
            <button type="button" onClick={loadOlder}>
              Load older messages
            </button>
          </li>
        )}
        {!older && detail.historyNote && <li className="history-note muted">{detail.historyNote}</li>}
        {messages.map((m) => (
          <MessageItem key={m.id} m={m} onRetry={(id) => void retry(id)} />
        ))}
      </ol>
      <Composer thread={t} window={detail.window} />
    </section>
  );
}
