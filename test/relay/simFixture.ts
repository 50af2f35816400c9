import { freePort } from '../chaos/relayProcess';
import { createSimulator, type Simulator } from '../sim/server';
import type { Relay, RelayOptions } from '../../relay/server';
import { APP_SECRET, startRelay, tempDir } from './helpers';

export interface SimAndRelay {
  sim: Simulator;
  relay: Relay;
  dataDir: string;
  close(): Promise<void>;
}

/** The Meta simulator sending signed webhooks to a relay that checks bindings against it. */
export async function startSimAndRelay(
  extra: Partial<RelayOptions> = {},
  meta: { requireAppSecretProof?: boolean } = {},
): Promise<SimAndRelay> {
  const tmp = tempDir();
  const port = await freePort();
  const sim = await createSimulator({
    appSecret: APP_SECRET,
    webhookUrl: `http://127.0.0.1:${port}/webhooks/meta`,
    webhookRetryBaseMs: 5,
    ...meta,
  });
  const relay = await startRelay(tmp.dir, { port, graphApiUrl: sim.url, appId: sim.appId, ...extra });
  return {
    sim,
    relay,
    dataDir: tmp.dir,
    async close() {
      await relay.close();
      await sim.close();
      tmp.cleanup();
    },
  };
}
