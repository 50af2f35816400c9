import { afterEach, describe, expect, it } from 'vitest';
import { relayCloseCodes } from '../../shared/relay-protocol';
import type { Relay, RelayOptions } from '../../relay/server';
import { TestClient, bindDirect, leadgenBody, postWebhook, register, startRelay, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let relay: Relay;

afterEach(async () => {
  await relay?.close();
  tmp?.cleanup();
});

/** A relay with installs bound to `page-1`, started fresh so the bindings are loaded. */
async function setup(installs: number, opts: Partial<RelayOptions> = {}) {
  tmp = tempDir();
  relay = await startRelay(tmp.dir);
  const list = [];
  for (let i = 0; i < installs; i++) list.push(await register(relay.url));
  await relay.close();
  for (const i of list) bindDirect(tmp.dir, i.installId, 'page', 'page-1');
  relay = await startRelay(tmp.dir, opts);
  return list;
}

/** One POST carrying `n` leadgen entries for page-1, lead ids from `first`. */
function batchBody(first: number, n: number): string {
  const entry = Array.from({ length: n }, (_, k) => JSON.parse(leadgenBody('page-1', `lead-${first + k}`)).entry[0]);
  return JSON.stringify({ object: 'page', entry });
}

const leadIdOf = (raw: string) => (JSON.parse(raw) as { changes: { value: { leadgen_id: string } }[] }).changes[0]!.value.leadgen_id;

/** A ping → pong round trip: every frame the relay queued before answering has arrived. */
async function roundTrip(c: TestClient): Promise<void> {
  const t = Math.random();
  c.ws.send(JSON.stringify({ type: 'ping', t }));
  await c.until(() => c.frames.some((f) => f.type === 'pong' && f.t === t), 'pong');
}

describe('delivery', () => {
  it('an install offline for 10,000 events gets all of them in order on reconnect, none twice after acks', async () => {
    const [install] = await setup(1);
    // 1,000 signed POSTs of 10 entries each, 16 at a time, while no install is connected.
    let next = 0;
    const workers = Array.from({ length: 16 }, async () => {
      while (next < 1000) {
        const batch = next++;
        expect(await postWebhook(relay.url, batchBody(batch * 10, 10))).toBe(200);
      }
    });
    await Promise.all(workers);

    // First session: take half, ack as a desktop would (after commit, cumulatively), then drop.
    const first = await TestClient.connect(relay.url, install!.bearer);
    first.hello(null);
    await first.until(() => first.frames[0]?.type === 'welcome', 'welcome');
    expect(first.frames[0]).toMatchObject({ type: 'welcome', headSeq: 10_000, backlog: 10_000 });
    const committed: string[] = [];
    let cursor = 0;
    await new Promise<void>((resolve) => {
      first.ws.on('message', () => {
        for (const e of first.events().slice(committed.length)) {
          if (cursor >= 5000) return resolve();
          expect(e.seq).toBe(cursor + 1);
          committed.push(leadIdOf(e.raw));
          cursor = e.seq;
          if (cursor % 100 === 0) first.ack(cursor);
        }
      });
    });
    await first.close();

    // Second session resumes from its cursor and gets exactly the rest.
    const second = await TestClient.connect(relay.url, install!.bearer);
    second.hello(cursor);
    await new Promise<void>((resolve) => {
      second.ws.on('message', () => {
        for (const e of second.events().slice(committed.length - 5000)) {
          expect(e.seq).toBe(cursor + 1);
          committed.push(leadIdOf(e.raw));
          cursor = e.seq;
          if (cursor % 100 === 0) second.ack(cursor);
        }
        if (cursor === 10_000) resolve();
      });
    });
    // Every lead once; POSTs raced each other, but the entries of one POST stay together, in order.
    expect(new Set(committed).size).toBe(10_000);
    expect([...committed].sort()).toEqual(Array.from({ length: 10_000 }, (_, i) => `lead-${i}`).sort());
    for (let b = 0; b < 1000; b++) {
      const at = committed.indexOf(`lead-${b * 10}`);
      expect(committed.slice(at, at + 10)).toEqual(Array.from({ length: 10 }, (_, k) => `lead-${b * 10 + k}`));
    }
    await second.close();

    // After the final ack nothing comes again, even for a client that lost its cursor.
    const third = await TestClient.connect(relay.url, install!.bearer);
    third.hello(null);
    await roundTrip(third);
    expect(third.events()).toHaveLength(0);
    expect(third.frames[0]).toMatchObject({ type: 'welcome', backlog: 0 });
    await third.close();
  });

  it('an install that dies before acking gets the event again; one that acked does not', async () => {
    const [dies, acks] = await setup(2);
    expect(await postWebhook(relay.url, leadgenBody('page-1', 'lead-a'))).toBe(200);
    for (const install of [dies!, acks!]) {
      const c = await TestClient.connect(relay.url, install.bearer);
      c.hello(null);
      await c.until(() => c.events().length === 1, 'event');
      if (install === acks) c.ack(c.events()[0]!.seq);
      await roundTrip(c);
      c.ws.terminate();
    }
    const again = await TestClient.connect(relay.url, dies!.bearer);
    again.hello(null);
    await again.until(() => again.events().length === 1, 'redelivery');
    expect(leadIdOf(again.events()[0]!.raw)).toBe('lead-a');
    const acked = await TestClient.connect(relay.url, acks!.bearer);
    acked.hello(null);
    await roundTrip(acked);
    expect(acked.events()).toHaveLength(0);
    await Promise.all([again.close(), acked.close()]);
  });

  it('several installs bound to one page each get every event, each with its own seq', async () => {
    const installs = await setup(3);
    const clients = await Promise.all(installs.map((i) => TestClient.connect(relay.url, i.bearer)));
    clients.forEach((c) => c.hello(null));
    expect(await postWebhook(relay.url, batchBody(0, 3))).toBe(200);
    await Promise.all(clients.map((c) => c.until(() => c.events().length === 3, 'three events')));
    for (const c of clients) {
      expect(c.events().map((e) => [e.seq, leadIdOf(e.raw)])).toEqual([
        [1, 'lead-0'],
        [2, 'lead-1'],
        [3, 'lead-2'],
      ]);
    }
    await Promise.all(clients.map((c) => c.close()));
  });

  it('never has more than the window unacked in flight, and continues after an ack', async () => {
    const [install] = await setup(1, { window: 10 });
    expect(await postWebhook(relay.url, batchBody(0, 25))).toBe(200);
    const c = await TestClient.connect(relay.url, install!.bearer);
    c.hello(0);
    await c.until(() => c.events().length === 10, 'window');
    await roundTrip(c);
    expect(c.events()).toHaveLength(10);
    c.ack(4);
    await c.until(() => c.events().length === 14, 'four more');
    await roundTrip(c);
    expect(c.events().map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    await c.close();
  });

  it('tells an install whose cursor is older than retention about the gap, then continues', async () => {
    const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
    const log = { info: () => {}, error: () => {}, warn: (msg: string, fields?: Record<string, unknown>) => warnings.push({ msg, fields }) };
    const [install] = await setup(1, { retentionMs: 1, ackGraceMs: 20, log });
    expect(await postWebhook(relay.url, batchBody(0, 5))).toBe(200);
    // Wait for a retention sweep to drop the 5 unacked events (it logs and counts them).
    for (;;) {
      const metrics = await (await fetch(`${relay.url}/metrics`)).text();
      if (/relay_events_dropped_retention_total 5/.test(metrics)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // The drop is logged with its count (ids and counts only).
    expect(warnings.filter((w) => w.msg === 'retention dropped unacked events').map((w) => w.fields)).toEqual([
      { installId: install!.installId, count: 5, retentionMs: 1 },
    ]);
    const c = await TestClient.connect(relay.url, install!.bearer);
    c.hello(0);
    await c.until(() => c.frames.length >= 2, 'welcome and gap');
    // Nothing is left to replay: the dropped events are not counted as still to come.
    expect(c.frames[0]).toMatchObject({ type: 'welcome', headSeq: 5, backlog: 0 });
    expect(c.frames[1]).toEqual({ type: 'gap', cursor: 0, oldestSeq: 6, dropped: 5 });
    expect(await postWebhook(relay.url, leadgenBody('page-1', 'lead-new'))).toBe(200);
    await c.until(() => c.events().length === 1, 'live event');
    expect(c.events()[0]!.seq).toBe(6);
    await c.close();
  });

  it('a slow reader does not hold up other installs, and still gets everything in order', async () => {
    // A window larger than the whole run, so only the socket-buffer check can hold the relay back.
    const [slow, fast] = await setup(2, { maxBufferedBytes: 64 * 1024, window: 100_000 });
    const slowClient = await TestClient.connect(relay.url, slow!.bearer);
    const fastClient = await TestClient.connect(relay.url, fast!.bearer);
    slowClient.hello(null);
    fastClient.hello(null);
    await roundTrip(slowClient);
    // Stop reading: the slow client's kernel buffers fill and the relay must stop writing to it.
    const socket = (slowClient.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    socket.pause();
    const pad = 'x'.repeat(8000);
    const N = 2000;
    const big = (i: number) =>
      JSON.stringify({ object: 'page', entry: [{ id: 'page-1', changes: [{ field: 'feed', value: { i, pad } }] }] });
    let acked = 0;
    fastClient.ws.on('message', () => {
      const last = fastClient.events().at(-1);
      if (last && last.seq - acked >= 50) fastClient.ack((acked = last.seq));
    });
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < N) statuses.push(await postWebhook(relay.url, big(next++)));
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(N);
    await fastClient.until(() => fastClient.events().length === N, 'fast client all events');
    expect(slowClient.events().length).toBeLessThan(N);
    // 16 MB was sent the slow client's way; the relay holds at most its limit plus one event.
    const metrics = await (await fetch(`${relay.url}/metrics`)).text();
    const buffered = Number(/relay_stream_buffered_bytes (\d+)/.exec(metrics)![1]);
    expect(buffered).toBeLessThan(64 * 1024 + 9000);
    socket.resume();
    slowClient.ws.on('message', () => {
      const last = slowClient.events().at(-1);
      if (last && last.seq % 50 === 0) slowClient.ack(last.seq);
    });
    await slowClient.until(() => slowClient.events().length === N, 'slow client all events');
    expect(slowClient.events().map((e) => e.seq)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    await Promise.all([slowClient.close(), fastClient.close()]);
  }, 60_000);

  it('terminates a socket that stays silent past the heartbeat deadline', async () => {
    const [install] = await setup(1, { heartbeatMs: 50 });
    const c = await TestClient.connect(relay.url, install!.bearer);
    c.hello(null);
    // This client never answers pings (a "connected but deaf" peer); the relay must drop it.
    await c.until(() => c.ws.readyState === c.ws.CLOSED, 'termination');
    expect(c.frames.some((f) => f.type === 'ping')).toBe(true);
  });

  it('refuses a wrong token with HTTP 401 before any WebSocket exists', async () => {
    const [install] = await setup(1);
    await expect(TestClient.connect(relay.url, `Bearer ${install!.installId}.wrong`)).rejects.toThrow('HTTP 401');
    await expect(TestClient.connect(relay.url, `Bearer ${install!.token}x`)).rejects.toThrow('HTTP 401');
    await expect(TestClient.connect(relay.url, `Bearer ${install!.token.split('.')[1]}`)).rejects.toThrow('HTTP 401');
    await expect(TestClient.connect(relay.url, 'Bearer in_unknown.token')).rejects.toThrow('HTTP 401');
    await expect(TestClient.connect(relay.url, '')).rejects.toThrow('HTTP 401');
  });

  it('a second connection of the same install replaces the first (close 4002)', async () => {
    const [install] = await setup(1);
    const a = await TestClient.connect(relay.url, install!.bearer);
    const aClosed = new Promise<number>((r) => a.ws.once('close', (code) => r(code)));
    a.hello(null);
    await roundTrip(a);
    // The id written twice (`Bearer <installId>.<token>`) names the same install.
    const b = await TestClient.connect(relay.url, `Bearer ${install!.installId}.${install!.token}`);
    b.hello(null);
    expect(await aClosed).toBe(relayCloseCodes.replaced);
    expect(await postWebhook(relay.url, leadgenBody('page-1', 'lead-x'))).toBe(200);
    await b.until(() => b.events().length === 1, 'event on the new socket');
    await b.close();
  });
});

describe('frames the relay refuses', () => {
  it('closes with 4000 after an error frame when a client frame is not protocol', async () => {
    const [install] = await setup(1);
    const c = await TestClient.connect(relay.url, install!.bearer);
    const closed = new Promise<number>((r) => c.ws.once('close', (code) => r(code)));
    c.ws.send('{"type":"hello","cursor":-1}');
    expect(await closed).toBe(relayCloseCodes.badFrame);
    expect(c.frames.at(-1)).toMatchObject({ type: 'error', code: 'bad_frame' });
  });
});

describe('acks lost by the relay', () => {
  it('a reconnect cursor beyond the acks the relay recorded counts as acked, so the window still opens', async () => {
    tmp = tempDir();
    relay = await startRelay(tmp.dir);
    const install = await register(relay.url);
    await relay.close();
    bindDirect(tmp.dir, install.installId, 'page', 'page-1');
    relay = await startRelay(tmp.dir, { window: 5 });
    expect(await postWebhook(relay.url, JSON.stringify({ object: 'page', entry: Array.from({ length: 12 }, () => ({ id: 'page-1' })) }))).toBe(200);
    // The desktop committed 1..10, but the relay never recorded those acks (e.g. it crashed).
    const c = await TestClient.connect(relay.url, install.bearer);
    c.hello(10);
    await c.until(() => c.events().length === 2, 'the two events after the cursor');
    expect(c.events().map((e) => e.seq)).toEqual([11, 12]);
    await c.close();
  });
});
