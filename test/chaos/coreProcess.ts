/**
 * Child-process entry for the chaos tests: the real desktop core (createCore + start) configured
 * from the environment like `npm run web`, without the UI. The parent drives it through the same
 * dispatch the renderer uses (over IPC) and SIGKILLs it at random moments.
 *
 * env: LEAD_INBOX_DATA_DIR, GRAPH_API_URL, RELAY_URL, META_APP_ID, META_DIALOG_URL,
 * CHAOS_KEYCHAIN_SERVICE, CHAOS_TUNING (JSON, partial CoreTuning: tests shrink backoffs).
 * The owner's browser is played by following the login URL's redirects (the simulator's dialog
 * auto-approves and redirects to the relay's OAuth callback).
 */
import { join } from 'node:path';
import { createCore } from '../../main/core/app';
import { configFromEnv } from '../../main/core/config';
import { createKeytarTokenStore } from '../../main/core/keychain/keytarTokenStore';
import { createFileLogger } from '../../main/core/log/fileLogger';
import type { CoreTuning } from '../../main/core/tuning';

export type ParentMessage =
  { type: 'call'; id: number; method: string; input: unknown } | { type: 'stop' };
export type CoreMessage =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; name: string; payload: unknown };

const send = (m: CoreMessage) => process.send?.(m);

async function main(): Promise<void> {
  const config = configFromEnv(process.env, { dataDir: process.env.LEAD_INBOX_DATA_DIR ?? '' });
  if (!config.dataDir) throw new Error('LEAD_INBOX_DATA_DIR is required');
  const logger = createFileLogger({ dir: join(config.dataDir, 'logs') });
  const core = createCore({
    config,
    tokens: createKeytarTokenStore(process.env.CHAOS_KEYCHAIN_SERVICE ?? 'lead-inbox-chaos-test'),
    notifier: { notify: () => {} },
    openExternal: async (url) => {
      void fetch(url, { redirect: 'follow' }).catch(() => undefined);
    },
    logger,
    tuning: process.env.CHAOS_TUNING
      ? (JSON.parse(process.env.CHAOS_TUNING) as Partial<CoreTuning>)
      : undefined,
  });
  core.events.onAny((name, payload) => send({ type: 'event', name, payload }));
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stop') {
      void core.stop().then(() => process.exit(0));
      return;
    }
    void core
      .dispatch(m.method, m.input)
      .then((result) => send({ type: 'result', id: m.id, result }));
  });
  await core.start();
  send({ type: 'ready' });
}

main().catch((e: unknown) => {
  process.stderr.write(`core process failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
