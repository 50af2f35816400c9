import type { EventFrame, RoutingKind } from '../../../shared/relay-protocol';
import type { Logger } from '../ports';
import type { Db } from '../store/db';

/**
 * Thrown by an entry handler when the entry is not in a shape it can store. The event is logged
 * and acked (retrying bad bytes would block the stream forever); nothing of it is written.
 */
export class InvalidEntry extends Error {
  override name = 'InvalidEntry';
}

export interface IngestContext {
  db: Db;
  frame: EventFrame;
  log: Logger;
  /** Runs after the transaction holding this event commits: emit UI events, wake workers. */
  afterCommit(fn: () => void): void;
}

/**
 * Handles one `entry` of a Meta delivery (already JSON-parsed from the frame's raw bytes).
 * Runs synchronously inside the ingest transaction: it only writes rows (e.g. a pending lead, a
 * message) and schedules follow-up work; network fetches happen after commit, in workers.
 * Must be idempotent on Meta's ids: the relay may deliver the same event again.
 */
export type EntryHandler = (entry: Record<string, unknown>, ctx: IngestContext) => void;

/** Which handlers see which routing kind; several areas (leads, conversations, auth) register. */
export class IngestRegistry {
  private readonly handlers = new Map<RoutingKind, EntryHandler[]>();

  register(kind: RoutingKind, handler: EntryHandler): void {
    const list = this.handlers.get(kind) ?? [];
    list.push(handler);
    this.handlers.set(kind, list);
  }

  handlersFor(kind: RoutingKind): readonly EntryHandler[] {
    return this.handlers.get(kind) ?? [];
  }
}
