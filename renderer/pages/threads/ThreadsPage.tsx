import { useCallback, useEffect, useState } from 'react';
import type { Thread, UnreadCounts } from '../../../shared/index';
import { call, errorText } from '../../api/client';
import { useEvent } from '../../hooks/useEvent';
import { Conversation } from './Conversation';
import { ThreadList, type ThreadFilter } from './ThreadList';
import './threads.css';

/** Threads view: Messenger / Instagram / WhatsApp conversations on the left, the open one on the right. */
export function ThreadsPage({ threadId }: { threadId: string | null }) {
  const [filter, setFilter] = useState<ThreadFilter>({ channel: null, unreadOnly: false });
  const [threads, setThreads] = useState<Thread[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [counts, setCounts] = useState<UnreadCounts | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    setLoading(true);
    call('threads.list', { channel: filter.channel ?? undefined, unreadOnly: filter.unreadOnly, limit: 50 }).then(
      (r) => {
        setThreads(r.threads);
        setCursor(r.nextCursor);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        setError(errorText(e));
        setLoading(false);
      },
    );
  }, [filter]);
  useEffect(load, [load]);
  useEffect(() => {
    call('threads.unreadCounts', {}).then(setCounts, () => {});
  }, []);

  useEvent('threads.unreadChanged', setCounts);
  // Live: a changed thread moves to the top (or drops out of an unread-only / channel filter).
  useEvent('thread.updated', ({ thread }) => {
    setThreads((list) => {
      const rest = list.filter((t) => t.id !== thread.id);
      const fits = (!filter.channel || thread.channel === filter.channel) && (!filter.unreadOnly || thread.unreadCount > 0 || thread.id === threadId);
      if (!fits) return rest;
      const next = [...rest, thread];
      next.sort((a, b) => (b.lastMessageAt ?? 0) - (a.lastMessageAt ?? 0) || (a.id < b.id ? 1 : -1));
      return next;
    });
  });

  const more = () => {
    if (!cursor) return;
    call('threads.list', { channel: filter.channel ?? undefined, unreadOnly: filter.unreadOnly, limit: 50, before: cursor }).then(
      (r) => {
        setThreads((list) => [...list, ...r.threads.filter((t) => !list.some((x) => x.id === t.id))]);
        setCursor(r.nextCursor);
      },
      (e: unknown) => setError(errorText(e)),
    );
  };

  return (
    <div className="page threads-page">
      <ThreadList
        threads={threads}
        counts={counts}
        filter={filter}
        onFilter={setFilter}
        selectedId={threadId}
        hasMore={cursor !== null}
        onMore={more}
        loading={loading}
        error={error}
      />
      {threadId ? (
        <Conversation key={threadId} threadId={threadId} />
      ) : (
        <section className="conversation conversation-empty" aria-label="Conversation">
          <p className="empty">Choose a conversation to read and reply.</p>
        </section>
      )}
    </div>
  );
}

export default ThreadsPage;
