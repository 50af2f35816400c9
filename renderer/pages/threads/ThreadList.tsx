import { useRef, type KeyboardEvent } from 'react';
import type { Channel, Thread, UnreadCounts } from '../../../shared/index';
import { formatAgo } from '../../format';
import { channelName, threadHref } from './labels';
import { ThreadSettings } from './ThreadSettings';

export interface ThreadFilter {
  channel: Channel | null;
  unreadOnly: boolean;
}

interface Props {
  threads: Thread[];
  counts: UnreadCounts | null;
  filter: ThreadFilter;
  onFilter(f: ThreadFilter): void;
  selectedId: string | null;
  hasMore: boolean;
  onMore(): void;
  loading: boolean;
  error: string | null;
}

const channels: (Channel | null)[] = [null, 'messenger', 'instagram', 'whatsapp'];

/** The conversations list: channel tabs with unread counts, newest first, arrow keys move, Enter opens. */
export function ThreadList(p: Props) {
  const listRef = useRef<HTMLUListElement>(null);
  const onKey = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'j' && e.key !== 'k') return;
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a.thread-link') ?? [])];
    const i = links.indexOf(document.activeElement as HTMLAnchorElement);
    const next = links[Math.min(links.length - 1, Math.max(0, i + (e.key === 'ArrowDown' || e.key === 'j' ? 1 : -1)))];
    if (next) {
      e.preventDefault();
      next.focus();
    }
  };
  return (
    <section className="thread-list" aria-labelledby="threads-title">
      <div className="page-head">
        <h1 id="threads-title">Threads</h1>
        {p.counts && p.counts.total > 0 && <span className="muted">{p.counts.total} unread</span>}
      </div>
      <div className="thread-filters" role="group" aria-label="Channel">
        {channels.map((c) => {
          const unread = c && p.counts ? p.counts[c] : (p.counts?.total ?? 0);
          return (
            <button
              key={c ?? 'all'}
              type="button"
              aria-pressed={p.filter.channel === c}
              onClick={() => p.onFilter({ ...p.filter, channel: c })}
            >
              {c ? channelName[c] : 'All'}
              {unread > 0 && <span className="count" aria-label={`${unread} unread`}>{unread}</span>}
            </button>
          );
        })}
        <label className="inline">
          <input
            type="checkbox"
            checked={p.filter.unreadOnly}
            onChange={(e) => p.onFilter({ ...p.filter, unreadOnly: e.target.checked })}
          />
          Unread only
        </label>
      </div>
      {p.error && <p role="alert" className="error">{p.error}</p>}
      {!p.loading && p.threads.length === 0 && !p.error && (
        <p className="empty">
          {p.filter.unreadOnly
            ? 'No unread conversations.'
            : p.filter.channel === 'whatsapp'
              ? 'No WhatsApp conversations yet. WhatsApp has no history API: conversations appear from the moment a number is connected, as people write.'
              : 'No conversations yet. Messages from Messenger, Instagram and WhatsApp appear here as they arrive.'}
        </p>
      )}
      <ul className="threads" ref={listRef} onKeyDown={onKey} aria-label="Conversations">
        {p.threads.map((t) => (
          <li key={t.id}>
            <a
              className="thread-link"
              href={threadHref(t.id)}
              aria-current={t.id === p.selectedId ? 'true' : undefined}
              data-unread={t.unreadCount > 0 ? 'true' : undefined}
            >
              <span className="thread-top">
                <span className="thread-title">{t.title}</span>
                <span className={`channel channel-${t.channel}`}>{channelName[t.channel]}</span>
              </span>
              <span className="thread-bottom">
                <span className="thread-preview">{t.lastMessagePreview ?? ''}</span>
                <span className="muted thread-time">{formatAgo(t.lastMessageAt)}</span>
                {t.unreadCount > 0 && (
                  <span className="count" aria-label={`${t.unreadCount} unread`}>
                    {t.unreadCount}
                  </span>
                )}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {p.hasMore && (
        <button type="button" onClick={p.onMore}>
          Show older conversations
        </button>
      )}
      <ThreadSettings />
    </section>
  );
}
