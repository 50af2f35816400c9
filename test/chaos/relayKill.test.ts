/**
 * The relay dies with SIGKILL at random moments while Meta (the simulator) delivers 5,000 leads,
 * and a process manager starts it again on the same data folder. Meta retries whatever did not get
 * a 200. Guarantee: every lead whose webhook got a 200 is in the desktop store exactly once, and
 * with Meta's retries every lead arrives in the end.
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

const total = 5_000;

describe('relay killed with SIGKILL during a stream of signed webhooks', () => {
  it('loses no lead that got a 200 and stores none twice', { timeout: 150_000 }, async () => {
    const seed = Number(process.env.CHAOS_SEED ?? Date.now() % 100_000);
    const random = seeded(seed);
    stack = await startChaosStack({ relay: 'process' });
    const s = stack;
    const page = s.sim.control.createPage({ name: 'Chaos Bakery', subscribed: false });
    const form = s.sim.control.createForm({ pageId: page.id, name: 'Orders' });
    await connectAndEnableAll(s.desktop);

    // Meta's side: leads as fast as the simulator sends them, half as single deliveries, half
    // batched (Meta batches up to 1,000 updates per POST).
    let streaming = true;
    const created: string[] = [];
    const stream = (async () => {
      while (created.length < total) {
        const batched = random() < 0.5;
        if (batched) s.sim.context.webhooks.hold();
        for (let i = 0; i < 25 && created.length < total; i++)
          created.push(s.sim.control.createLead({ formId: form.id }).id);
        if (batched) s.sim.context.webhooks.flush();
        await new Promise((r) => setTimeout(r, 5));
      }
      streaming = false;
    })();

    // The crash loop: SIGKILL at a random instant, back up after a random pause; at least 3 kills.
    let kills = 0;
    const killer = (async () => {
      while (streaming || kills < 3) {
        await new Promise((r) => setTimeout(r, 300 + random() * 1200));
        await s.relay.process!.kill();
        kills++;
        await new Promise((r) => setTimeout(r, random() * 300));
        await s.relay.process!.restart();
      }
    })();
    await Promise.all([stream, killer]);
    await s.sim.webhooksIdle();

    const deliveries = s.sim.deliveries();
    const acked = new Set(
      deliveries.filter((d) => d.state === 'delivered').flatMap((d) => leadIdsOf(d.body)),
    );
    const refusedAttempts = deliveries
      .flatMap((d) => d.attempts)
      .filter((a) => a.status !== 200).length;

    let rows: { id: string; state: string }[] = [];
    try {
      rows = await waitFor(
        () => {
          const r = s.leads();
          return r.length >= total ? r : null;
        },
        `all ${total} leads in the desktop store (seed ${seed})`,
        60_000,
        250,
      );
    } catch (e) {
      await diagnose(
        s,
        `relay kill, seed ${seed}, stored ${s.leads().length}/${total}, kills ${kills}`,
      );
      throw e;
    }
    const ids = rows.map((r) => r.id);
    const idSet = new Set(ids);
    // Every webhook that got a 200 is there; nothing is there twice; nothing unknown appeared.
    expect(
      [...acked].filter((id) => !idSet.has(id)),
      `seed ${seed}`,
    ).toEqual([]);
    expect(idSet.size).toBe(ids.length);
    expect(idSet).toEqual(new Set(created));
    expect(rows.filter((r) => r.state === 'failed')).toEqual([]);
    // The test had teeth: the relay really died mid-stream and Meta really had to retry.
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(refusedAttempts).toBeGreaterThan(0);
  });
});
