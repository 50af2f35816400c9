/**
 * The desktop core dies with SIGKILL at random moments while leads stream in from the relay and
 * its worker fetches their fields from Meta, then starts again on the same data folder. Guarantee:
 * every lead whose webhook got a 200 is in the store exactly once (the core acks the relay only
 * after its commit, so an unacked event comes again), and every pending lead is completed after
 * the restarts (pending rows survive and are retried).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { diagnose } from './diagnose';
import {
  connectAndEnableAll,
  leadIdsOf,
  seeded,
  startChaosStack,
  waitFor,
  type ChaosStack,
} from './stack';

let stack: ChaosStack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

const total = 3_000;

describe('desktop core killed with SIGKILL while receiving and fetching', () => {
  it(
    'keeps every acknowledged lead exactly once and completes them all after restarts',
    { timeout: 150_000 },
    async () => {
      const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 100_000);
      const random = seeded(seed);
      stack = await startChaosStack({ relay: 'in-process' });
      const s = stack;
      const page = s.sim.control.createPage({ name: 'Chaos Florist', subscribed: false });
      const form = s.sim.control.createForm({ pageId: page.id, name: 'Bouquets' });
      await connectAndEnableAll(s.desktop);

      let streaming = true;
      const created: string[] = [];
      const stream = (async () => {
        while (created.length < total) {
          const batched = random() < 0.5;
          if (batched) s.sim.context.webhooks.hold();
          for (let i = 0; i < 20 && created.length < total; i++)
            created.push(s.sim.control.createLead({ formId: form.id }).id);
          if (batched) s.sim.context.webhooks.flush();
          await new Promise((r) => setTimeout(r, 10));
        }
        streaming = false;
      })();

      // Kill while events arrive and while the worker is fetching; stays down a random moment
      // (the relay keeps what arrives meanwhile), then a fresh process on the same data folder.
      let kills = 0;
      const killer = (async () => {
        while (streaming || kills < 3) {
          await new Promise((r) => setTimeout(r, 500 + random() * 1500));
          await s.desktop.kill();
          kills++;
          await new Promise((r) => setTimeout(r, random() * 500));
          await s.desktop.restart();
        }
      })();
      await Promise.all([stream, killer]);
      await s.sim.webhooksIdle();
      const acked = new Set(
        s.sim
          .deliveries()
          .filter((d) => d.state === 'delivered')
          .flatMap((d) => leadIdsOf(d.body)),
      );

      let rows: { id: string; state: string }[] = [];
      try {
        rows = await waitFor(
          () => {
            const r = s.leads();
            return r.length >= total && r.every((l) => l.state === 'complete') ? r : null;
          },
          `all ${total} leads complete (seed ${seed})`,
          90_000,
          250,
        );
      } catch (e) {
        const r = s.leads();
        await diagnose(
          s,
          `core kill, seed ${seed}, stored ${r.length}/${total}, complete ${r.filter((l) => l.state === 'complete').length}, kills ${kills}`,
        );
        throw e;
      }
      const ids = new Set(rows.map((r) => r.id));
      expect(
        [...acked].filter((id) => !ids.has(id)),
        `seed ${seed}`,
      ).toEqual([]);
      expect(ids.size).toBe(rows.length);
      expect(ids).toEqual(new Set(created));
      expect(kills).toBeGreaterThanOrEqual(3);
    },
  );
});
