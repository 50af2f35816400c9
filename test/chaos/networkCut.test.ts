/**
 * The network between the desktop and the relay fails during a stream of leads: every connection
 * reset at once, a black hole that keeps sockets open but drops every byte (the "connected but
 * deaf" socket heartbeats must catch), and a relay that refuses connections for a while.
 * Guarantee: the desktop reports offline, comes back by itself (nobody calls anything), and every
 * lead whose webhook got a 200 is stored exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from './diagnose';
import { connectAndEnableAll, leadIdsOf, startChaosStack, waitFor, type ChaosStack } from './stack';

let stack: ChaosStack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const total = 2_000;
type Status = { state: string };

describe('network cut between desktop and relay during a stream', () => {
  it(
    'shows offline, recovers without user action, and stores every acknowledged lead once',
    { timeout: 150_000 },
    async () => {
      stack = await startChaosStack({
        relay: 'in-process',
        relayHeartbeatMs: 300,
        proxy: true,
        tuning: { relayHeartbeatMs: 300 },
      });
      const s = stack;
      const proxy = s.proxy!;
      const page = s.sim.control.createPage({ name: 'Chaos Garage', subscribed: false });
      const form = s.sim.control.createForm({ pageId: page.id, name: 'Service booking' });
      await connectAndEnableAll(s.desktop);

      const states = () =>
        s.desktop.events
          .filter((e) => e.name === 'connection.changed')
          .map((e) => ({ state: (e.payload as Status).state, at: e.at }));
      /** Waits for the desktop to report a non-connected state after `since`, then connected again. */
      const offlineThenBack = async (since: number, what: string) => {
        await waitFor(
          () => states().some((x) => x.at >= since && x.state !== 'connected'),
          `${what}: offline reported`,
          30_000,
        );
        const down = states().find((x) => x.at >= since && x.state !== 'connected')!.at;
        return down;
      };
      const backOnline = (after: number, what: string) =>
        waitFor(
          () => states().some((x) => x.at > after && x.state === 'connected'),
          `${what}: connected again by itself`,
          40_000,
        );

      let streaming = true;
      const created: string[] = [];
      const stream = (async () => {
        while (created.length < total) {
          for (let i = 0; i < 10 && created.length < total; i++)
            created.push(s.sim.control.createLead({ formId: form.id }).id);
          await new Promise((r) => setTimeout(r, 15));
        }
        streaming = false;
      })();

      try {
        // 1. Every connection reset at once (cable pulled, Wi-Fi switched).
        await new Promise((r) => setTimeout(r, 500));
        let t = Date.now();
        proxy.cut();
        await backOnline(await offlineThenBack(t, 'reset'), 'reset');

        // 2. Black hole: sockets stay open, nothing gets through either way.
        t = Date.now();
        proxy.blackhole();
        const down = await offlineThenBack(t, 'black hole');
        await new Promise((r) => setTimeout(r, 1_000));
        proxy.restore();
        await backOnline(down, 'black hole');

        // 3. The relay is unreachable for a while: connections refused.
        t = Date.now();
        proxy.refuse();
        const refusedAt = await offlineThenBack(t, 'refused');
        await new Promise((r) => setTimeout(r, 1_500));
        proxy.restore();
        await backOnline(refusedAt, 'refused');
        await stream;
        await s.sim.webhooksIdle();
        await waitFor(() => s.leads().length >= total, `all ${total} leads stored`, 60_000, 250);
      } catch (e) {
        await diagnose(
          s,
          `network cut, stored ${s.leads().length}/${created.length}, streaming ${streaming}, states ${JSON.stringify(
            states()
              .map((x) => x.state)
              .slice(-20),
          )}`,
        );
        throw e;
      }
      const acked = new Set(
        s.sim
          .deliveries()
          .filter((d) => d.state === 'delivered')
          .flatMap((d) => leadIdsOf(d.body)),
      );
      const ids = new Set(s.leads().map((r) => r.id));
      expect([...acked].filter((id) => !ids.has(id))).toEqual([]);
      expect(ids).toEqual(new Set(created));
      expect(s.leads().length).toBe(total);
      const last = await s.desktop.call<Status>('connection.status', {});
      expect(last.ok && last.value.state).toBe('connected');
    },
  );
});
