import { createSimulator, type Simulator } from '../sim/server';
import type { RoutingKind } from '../../shared/relay-protocol';
import { createHarness, removeDir, type Harness } from './harness';

/**
 * The simulator as Meta, with its signed webhooks handed to the core's frame processor entry by
 * entry (the relay hop is covered by the relay's own tests and the UI spec).
 */
export interface SimLink {
  sim: Simulator;
  h: Harness;
  /**
   * Until when the relay has delivered every webhook, as the relay stream would say: pump() is the
   * relay delivering, so null (the default: no constraint) means it is always caught up.
   */
  deliveredUntil: number | null;
  /** Feeds every webhook the simulator produced since the last pump. */
  pump(): Promise<number>;
  /**
   * Pumps until `done` holds: WhatsApp statuses come some milliseconds after a send, and a fixed
   * sleep is either slow or, on a loaded machine, too short. Gives up with a clear error after 10 s.
   */
  settleUntil(what: string, done: () => boolean | Promise<boolean>): Promise<void>;
  /** A simulated WhatsApp number whose token is in the keychain; returns its phone number id. */
  connectWhatsApp(): Promise<string>;
  reopen(): Promise<void>;
  /** Forgets the test's keychain entries, closes both sides and deletes the data folder. */
  close(): Promise<void>;
}

const kinds: Record<string, RoutingKind> = { page: 'page', instagram: 'instagram', whatsapp_business_account: 'whatsapp' };

export async function createSimLink(): Promise<SimLink> {
  const sim = await createSimulator({ appSecret: 'conv-test-secret', webhookUrl: null, webhookRetryBaseMs: 5 });
  let h = createHarness({
    graphUrl: sim.url,
    now: () => sim.control.nowMs(),
    relayDeliveredUntil: () => link.deliveredUntil,
  });
  let seen = 0;
  const link: SimLink = {
    sim,
    deliveredUntil: null,
    get h() {
      return h;
    },
    async pump() {
      await sim.webhooksIdle();
      const records = sim.deliveries().slice(seen);
      seen += records.length;
      let n = 0;
      for (const r of records) {
        const body = JSON.parse(r.body) as { object: string; entry: unknown[] };
        const kind = kinds[body.object];
        if (!kind) continue;
        for (const entry of body.entry) {
          h.feed(kind, entry, body.object);
          n += 1;
        }
      }
      return n;
    },
    async settleUntil(what, done) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        await link.pump();
        if (await done()) return;
        if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async reopen() {
      await h.close();
      h = h.reopen();
    },
    async connectWhatsApp() {
      const wa = sim.control.createWhatsApp({ phones: 1 });
      const phoneId = wa.phoneNumberIds[0]!;
      await h.tokens.set(`whatsapp:${phoneId}`, wa.systemUserToken);
      return phoneId;
    },
    async close() {
      for (const account of await h.tokens.list()) await h.tokens.delete(account);
      await h.close();
      await sim.close();
      removeDir(h.dir);
    },
  };
  return link;
}
