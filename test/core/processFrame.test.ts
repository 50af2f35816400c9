/**
 * The commit-then-ack unit: one transaction holds every handler's writes and the cursor. A rejected
 * entry writes nothing but still moves the cursor (never blocks the stream); any other failure
 * moves nothing, so the frame is not acked and the relay delivers it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventFrame } from '../../shared/relay-protocol';
import { InvalidEntry, IngestRegistry } from '../../main/core/ingest/registry';
import { processEventFrame, storedCursor } from '../../main/core/relayClient/processFrame';
import { openDatabase, type Db } from '../../main/core/store/db';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const frame = (seq: number, raw: string): EventFrame => ({
  type: 'event',
  seq,
  receivedAt: 1,
  object: 'page',
  kind: 'page',
  assetId: '9',
  raw,
});

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'li-frame-'));
  db = openDatabase(join(dir, 'store.sqlite'));
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const kvCount = () =>
  (db.prepare(`SELECT count(*) AS n FROM kv WHERE key LIKE 'test.%'`).get() as { n: number }).n;

describe('processEventFrame', () => {
  it('commits every handler and the cursor together, and returns after-commit work', () => {
    const registry = new IngestRegistry();
    registry.register('page', (entry, ctx) => {
      ctx.db.prepare(`INSERT INTO kv(key, value) VALUES ('test.a', ?)`).run(String(entry.id));
      ctx.afterCommit(() => undefined);
    });
    registry.register('page', (_entry, ctx) =>
      ctx.db.prepare(`INSERT INTO kv(key, value) VALUES ('test.b', 'x')`).run(),
    );
    const after = processEventFrame(db, registry, frame(5, '{"id":"9"}'), quiet);
    expect(after).toHaveLength(1);
    expect(kvCount()).toBe(2);
    expect(storedCursor(db)).toBe(5);
  });

  it('skips bad bytes and rejected entries: nothing written, cursor advanced', () => {
    const registry = new IngestRegistry();
    registry.register('page', (entry, ctx) => {
      ctx.db.prepare(`INSERT INTO kv(key, value) VALUES ('test.partial', 'x')`).run();
      if (!entry.ok) throw new InvalidEntry('no ok');
      ctx.afterCommit(() => undefined);
    });
    expect(processEventFrame(db, registry, frame(1, 'not json {'), quiet)).toEqual([]);
    expect(storedCursor(db)).toBe(1);
    expect(processEventFrame(db, registry, frame(2, '{"ok":false}'), quiet)).toEqual([]);
    expect(storedCursor(db)).toBe(2);
    expect(kvCount()).toBe(0); // the handler's partial write was rolled back with its savepoint
  });

  it('any other failure commits nothing, not even the cursor, so the event comes again', () => {
    const registry = new IngestRegistry();
    registry.register('page', (_entry, ctx) => {
      ctx.db.prepare(`INSERT INTO kv(key, value) VALUES ('test.half', 'x')`).run();
      throw new Error('disk full');
    });
    processEventFrame(db, new IngestRegistry(), frame(3, '{}'), quiet);
    expect(() => processEventFrame(db, registry, frame(4, '{}'), quiet)).toThrow('disk full');
    expect(storedCursor(db)).toBe(3);
    expect(kvCount()).toBe(0);
  });
});
