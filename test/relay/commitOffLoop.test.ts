/**
 * A webhook whose commit cannot finish yet (a slow disk; here another connection holds SQLite's
 * write lock) does not stall the relay: the stream and the health check are still answered while
 * that webhook waits, and it gets its 200 — and the install its event — once the commit lands;
 * the webhooks that queued behind it meanwhile are all committed, each once, in seq order.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Relay } from '../../relay/server';
import { TestClient, bindDirect, countRows, leadgenBody, postWebhook, register, startRelay, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir> | null = null;
let relay: Relay | null = null;
let blocker: Database.Database | null = null;

afterEach(async () => {
  if (blocker?.inTransaction) blocker.exec('ROLLBACK');
  blocker?.close();
  blocker = null;
  await relay?.close();
  relay = null;
  tmp?.cleanup();
  tmp = null;
});

async function pingPong(c: TestClient, t: number): Promise<void> {
  c.ws.send(JSON.stringify({ type: 'ping', t }));
  await c.until(() => c.frames.some((f) => f.type === 'pong' && f.t === t), 'pong');
}

it('keeps streaming and answering /healthz while a webhook waits for its commit, then answers it 200', async () => {
  tmp = tempDir();
  relay = await startRelay(tmp.dir);
  const install = await register(relay.url);
  await relay.close();
  bindDirect(tmp.dir, install.installId, 'page', 'page-1');
  relay = await startRelay(tmp.dir);
  const c = await TestClient.connect(relay.url, install.bearer);
  c.hello(null);
  await c.until(() => c.frames.some((f) => f.type === 'welcome'), 'welcome');

  blocker = new Database(join(tmp.dir, 'relay.sqlite'));
  blocker.exec('BEGIN IMMEDIATE');
  let answered: number | null = null;
  const post = postWebhook(relay.url, leadgenBody('page-1', 'lead-1')).then((status) => (answered = status));

  // Round trips over the stream, sent after the webhook: by the last one its commit has started.
  for (let t = 1; t <= 20; t++) await pingPong(c, t);
  expect((await fetch(`${relay.url}/healthz`)).status).toBe(200);
  expect(answered).toBeNull();
  expect(c.events()).toHaveLength(0);

  blocker.exec('COMMIT');
  expect(await post).toBe(200);
  await c.until(() => c.events().length === 1, 'the event');
  expect(JSON.parse(c.events()[0]!.raw)).toMatchObject({ id: 'page-1' });
});

it('commits the webhooks that queued behind a stuck commit, each once, with gap-free seqs', async () => {
  tmp = tempDir();
  relay = await startRelay(tmp.dir);
  const install = await register(relay.url);
  await relay.close();
  bindDirect(tmp.dir, install.installId, 'page', 'page-1');
  relay = await startRelay(tmp.dir);
  const c = await TestClient.connect(relay.url, install.bearer);
  c.hello(null);
  await c.until(() => c.frames.some((f) => f.type === 'welcome'), 'welcome');

  blocker = new Database(join(tmp.dir, 'relay.sqlite'));
  blocker.exec('BEGIN IMMEDIATE');
  // Sent one after another while the first commit is stuck: several batches wait behind it (in the
  // worker and in the relay's queue) and are committed together once the disk is free.
  const posts: Promise<number>[] = [];
  for (let i = 1; i <= 8; i++) {
    posts.push(postWebhook(relay.url, leadgenBody('page-1', `lead-${i}`)));
    await pingPong(c, i);
  }
  expect(c.events()).toHaveLength(0);
  blocker.exec('COMMIT');
  expect(await Promise.all(posts)).toEqual(Array(8).fill(200));
  await c.until(() => c.events().length === 8, 'eight events');
  const events = c.events();
  expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  const leadIds = events.map((e) => (JSON.parse(e.raw) as { changes: { value: { leadgen_id: string } }[] }).changes[0]!.value.leadgen_id);
  expect(new Set(leadIds)).toEqual(new Set(Array.from({ length: 8 }, (_, i) => `lead-${i + 1}`)));
  expect(countRows(tmp.dir, 'events')).toBe(8);
});
