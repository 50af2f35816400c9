import type { Db } from './db';
import { leadGroupProgram } from './leadGroupProgram';

/**
 * Runs `write` (plain INSERTs of new leads and UPDATEs, inside the caller's transaction) with the
 * search insert trigger standing aside, then indexes every lead it inserted in set-based
 * statements, in the same transaction (store/leadGroupProgram.ts explains how and why).
 */
export function withBatchedLeadSearch<T>(db: Db, write: () => T): T {
  return leadGroupProgram(db).withBatchedSearch(write);
}
