import type { EventFrame } from '../../../shared/relay-protocol';
import { InvalidEntry, type IngestContext, type IngestRegistry } from '../ingest/registry';
import type { Logger } from '../ports';
import type { Db } from '../store/db';
import { kvGet, kvKeys, kvSet } from '../store/kv';

export function storedCursor(db: Db): number | null {
  const v = kvGet(db, kvKeys.relayCursor);
  return v === null ? null : Number(v);
}

/**
 * Commits one relay event: every handler registered for its kind plus the new cursor, in ONE
 * transaction. Returns the callbacks to run after commit (UI events, waking workers); the caller
 * acks the relay after this returns and before running them.
 *
 * Bad bytes or an entry a handler rejects (InvalidEntry) are logged without content and skipped:
 * the cursor still advances so one bad event can never block the stream. Any other error
 * propagates and nothing is committed, so the event is not acked and comes again.
 */
export function processEventFrame(
  db: Db,
  registry: IngestRegistry,
  frame: EventFrame,
  log: Logger,
): (() => void)[] {
  let after: (() => void)[] = [];
  const runHandlers = db.transaction((entry: Record<string, unknown>) => {
    const ctx: IngestContext = { db, frame, log, afterCommit: (fn) => after.push(fn) };
    for (const handler of registry.handlersFor(frame.kind)) handler(entry, ctx);
  });
  db.transaction(() => {
    const entry = parseEntry(frame.raw);
    if (!entry) {
      log.warn('relay event skipped: raw is not a JSON object', {
        seq: frame.seq,
        kind: frame.kind,
        bytes: frame.raw.length,
      });
    } else {
      try {
        // Nested transaction = savepoint: a rejected entry rolls back only its own writes.
        runHandlers(entry);
      } catch (e) {
        if (!(e instanceof InvalidEntry)) throw e;
        after = [];
        log.warn('relay event skipped: entry rejected', {
          seq: frame.seq,
          kind: frame.kind,
          reason: e.message,
        });
      }
    }
    const current = storedCursor(db);
    if (current === null || frame.seq > current) kvSet(db, kvKeys.relayCursor, String(frame.seq));
  })();
  return after;
}

function parseEntry(raw: string): Record<string, unknown> | null {
  try {
    const v = JSON.parse(raw) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
