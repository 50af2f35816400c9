import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ReplyWindow, Template, Thread } from '../../../shared/index';
import { call, errorText } from '../../api/client';
import { remaining } from './labels';

/**
 * Reply box. Shows how long free text is still allowed and, when it is not, why; for WhatsApp
 * outside 24 h it offers the business's approved templates with a field per parameter.
 */
export function Composer({ thread, window: w }: { thread: Thread; window: ReplyWindow }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  // The window can close while the thread is open: recompute from expiresAt.
  const expired = w.expiresAt !== null && now >= w.expiresAt;
  const state = expired ? (thread.channel === 'whatsapp' ? 'template' : w.state === 'open' ? 'tag' : 'closed') : w.state;
  return (
    <section className="composer" aria-label="Reply">
      <p className="window-note" role="status">
        {state === 'open' && w.expiresAt && <>Reply window: {remaining(w.expiresAt, now)} left.</>}
        {state === 'tag' && (
          <>
            {w.reason ?? 'Outside 24 hours: replies go out with the Human Agent tag.'}
            {w.expiresAt && !expired && <> {remaining(w.expiresAt, now)} left.</>}
          </>
        )}
        {(state === 'template' || state === 'closed') && (w.reason ?? 'Free text is not allowed right now.')}
      </p>
      {state === 'open' || state === 'tag' ? (
        <TextReply threadId={thread.id} max={thread.channel === 'whatsapp' ? 4096 : 2000} />
      ) : state === 'template' ? (
        <TemplatePicker threadId={thread.id} />
      ) : null}
    </section>
  );
}

/** Drafts survive switching threads and closing the app (kept in the window's storage, per thread). */
const draftKey = (threadId: string) => `lead-inbox.draft.${threadId}`;
function readDraft(threadId: string): string {
  try {
    return localStorage.getItem(draftKey(threadId)) ?? '';
  } catch {
    return '';
  }
}
function writeDraft(threadId: string, text: string): void {
  try {
    if (text) localStorage.setItem(draftKey(threadId), text);
    else localStorage.removeItem(draftKey(threadId));
  } catch {
    // Storage full or disabled: the draft just isn't kept.
  }
}

function TextReply({ threadId, max }: { threadId: string; max: number }) {
  const [text, setTextState] = useState(() => readDraft(threadId));
  const setText = (t: string) => {
    setTextState(t);
    writeDraft(threadId, t);
  };
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = (e?: FormEvent) => {
    e?.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    call('threads.send', { threadId, text }).then(
      () => {
        setText('');
        setError(null);
        setBusy(false);
      },
      (err: unknown) => {
        setError(errorText(err)); // the text stays in the box: nothing typed is lost
        setBusy(false);
      },
    );
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) send(e as unknown as FormEvent);
  };
  return (
    <form className="reply-form" onSubmit={send}>
      <label htmlFor="reply-text" className="visually-hidden">
        Message
      </label>
      <textarea
        id="reply-text"
        value={text}
        maxLength={max}
        rows={2}
        placeholder="Write a reply (Enter sends, Shift+Enter for a new line)"
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
      />
      <button type="submit" disabled={!text.trim() || busy}>
        Send
      </button>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

function TemplatePicker({ threadId }: { threadId: string }) {
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<string>('');
  const [body, setBody] = useState<string[]>([]);
  const [header, setHeader] = useState<string[]>([]);
  const [sent, setSent] = useState<string | null>(null);
  useEffect(() => {
    call('threads.templates', { threadId }).then(
      (r) => setTemplates(r.templates),
      (e: unknown) => setError(errorText(e)),
    );
  }, [threadId]);
  const tpl = templates?.find((t) => `${t.name}|${t.language}` === chosen) ?? null;
  const pick = (key: string) => {
    setChosen(key);
    const t = templates?.find((x) => `${x.name}|${x.language}` === key);
    setBody(Array.from({ length: t?.bodyParams ?? 0 }, () => ''));
    setHeader(Array.from({ length: t?.headerParams ?? 0 }, () => ''));
    setSent(null);
  };
  const fill = (s: string, v: string[]) => s.replace(/\{\{(\d+)\}\}/g, (m, n: string) => v[Number(n) - 1] || m);
  const ready = tpl && body.every((v) => v.trim()) && header.every((v) => v.trim());
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (!tpl || !ready) return;
    call('threads.send', { threadId, template: { name: tpl.name, language: tpl.language, bodyParams: body, headerParams: header } }).then(
      () => {
        setSent(`Template ${tpl.name} queued.`);
        setError(null);
        pick('');
      },
      (err: unknown) => setError(errorText(err)),
    );
  };
  if (error && !templates) return <p role="alert" className="error">{error}</p>;
  if (!templates) return <p className="muted">Loading approved templates…</p>;
  if (templates.length === 0) return <p className="muted">This WhatsApp business account has no approved templates yet.</p>;
  return (
    <form className="template-form" onSubmit={send}>
      <label>
        Template
        <select value={chosen} onChange={(e) => pick(e.target.value)}>
          <option value="">Choose an approved template…</option>
          {templates.map((t) => (
            <option key={`${t.name}|${t.language}`} value={`${t.name}|${t.language}`}>
              {t.name} ({t.language}, {t.category.toLowerCase()})
            </option>
          ))}
        </select>
      </label>
      {header.map((v, i) => (
        <label key={`h${i}`}>
          Header value {i + 1}
          <input value={v} onChange={(e) => setHeader(header.map((x, j) => (j === i ? e.target.value : x)))} />
        </label>
      ))}
      {body.map((v, i) => (
        <label key={`b${i}`}>
          {`Value for {{${i + 1}}}`}
          <input value={v} onChange={(e) => setBody(body.map((x, j) => (j === i ? e.target.value : x)))} />
        </label>
      ))}
      {tpl && (
        <p className="template-preview" aria-label="Preview">
          {tpl.headerText && <strong>{fill(tpl.headerText, header)}<br /></strong>}
          {fill(tpl.bodyText, body)}
        </p>
      )}
      <button type="submit" disabled={!ready}>
        Send template
      </button>
      {error && <p role="alert" className="error">{error}</p>}
      {sent && <p role="status">{sent}</p>}
    </form>
  );
}
