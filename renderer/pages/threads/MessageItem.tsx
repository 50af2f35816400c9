import { useState } from 'react';
import type { Attachment, Message } from '../../../shared/index';
import { call, errorText } from '../../api/client';
import { formatDateTime } from '../../format';
import { statusMark } from './labels';

/** One bubble: text, attachments (loaded on request through main), reactions, delivery marks, retry. */
export function MessageItem({ m, onRetry }: { m: Message; onRetry(id: string): void }) {
  const mark = statusMark[m.status];
  return (
    <li className={`msg msg-${m.direction}`} data-status={m.status} data-kind={m.kind}>
      <div className="bubble">
        {m.kind === 'postback' && <span className="muted">Tapped: </span>}
        {m.kind === 'referral' && <span className="muted">↪ </span>}
        {m.text && <p className="msg-text">{m.text}</p>}
        {m.attachments.map((a, i) => (
          <AttachmentView key={i} messageId={m.id} index={i} a={a} />
        ))}
        {m.reactions.length > 0 && (
          <span className="reactions" aria-label={`Reactions: ${m.reactions.map((r) => r.emoji).join(' ')}`}>
            {m.reactions.map((r) => r.emoji).join(' ')}
          </span>
        )}
      </div>
      <div className="msg-meta">
        <time dateTime={new Date(m.sentAt).toISOString()}>{formatDateTime(m.sentAt)}</time>
        {m.fromElsewhere && <span className="muted"> · sent outside Lead Inbox</span>}
        {m.direction === 'out' && mark.mark && (
          <span className={`tick tick-${m.status}`} title={mark.label} aria-label={mark.label}>
            {' '}
            {mark.mark}
          </span>
        )}
        {m.direction === 'out' && <span className="visually-hidden">{mark.label}</span>}
      </div>
      {m.status === 'failed' && (
        <div className="msg-error" role="alert">
          <span>{m.error ?? 'Not sent.'}</span>{' '}
          {!m.fromElsewhere && (
            <button type="button" onClick={() => onRetry(m.id)}>
              Retry
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function AttachmentView({ messageId, index, a }: { messageId: string; index: number; a: Attachment }) {
  const [media, setMedia] = useState<{ dataUrl: string; mimeType: string } | null>(null);
  const [state, setState] = useState<'idle' | 'loading' | string>('idle');
  const label = a.title ?? a.type;
  if (!a.hasMedia) {
    return (
      <p className={`attachment attachment-${a.type}`}>
        <strong>{a.type === 'location' ? '📍 ' : a.type === 'contacts' ? '👤 ' : '🔗 '}</strong>
        {label}
        {a.detail && <span className="muted"> · {a.detail}</span>}
      </p>
    );
  }
  if (media) {
    if (media.mimeType.startsWith('image/')) return <img className="attachment-img" src={media.dataUrl} alt={a.caption ?? label} />;
    // A player's name says what it plays ("Voice message"), not the bare attachment type.
    if (media.mimeType.startsWith('audio/')) return <audio controls src={media.dataUrl} aria-label={a.detail ?? a.title ?? 'Audio message'} />;
    if (media.mimeType.startsWith('video/')) return <video controls src={media.dataUrl} aria-label={a.caption ?? a.title ?? 'Video'} />;
    return (
      <a href={media.dataUrl} download={a.title ?? 'attachment'}>
        Save {label}
      </a>
    );
  }
  const load = () => {
    setState('loading');
    call('threads.media', { messageId, index }).then(
      (r) => setMedia(r),
      (e: unknown) => setState(errorText(e)),
    );
  };
  const noun = { image: 'photo', audio: 'audio', video: 'video', file: 'file', sticker: 'sticker' }[a.type as string] ?? 'attachment';
  return (
    <p className={`attachment attachment-${a.type}`}>
      <button type="button" onClick={load} disabled={state === 'loading'}>
        {state === 'loading' ? 'Loading…' : `Show ${noun}`}
      </button>{' '}
      {a.title && <span>{a.title}</span>}
      {a.detail && <span className="muted"> · {a.detail}</span>}
      {state !== 'idle' && state !== 'loading' && <span className="error"> {state}</span>}
    </p>
  );
}
