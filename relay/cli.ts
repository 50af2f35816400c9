/**
 * `npm run relay`: the relay configured from the environment (see relay/README.md).
 * SIGTERM / SIGINT: stop accepting, finish in-flight commits, close the database, exit 0.
 */
import { jsonLogger } from './logger';
import { createRelay } from './server';

const env = process.env;
const log = jsonLogger();

function required(name: string): string {
  const v = env[name];
  if (!v) {
    log.error('missing required environment variable', { name });
    process.exit(2);
  }
  return v;
}

/** A positive number from the environment, the default when unset; a typo stops the relay. */
function positive(name: string, fallback: number | undefined): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0) {
    log.error('environment variable is not a number', { name });
    process.exit(2);
  }
  return v;
}

function rate(name: string): { ratePerSec: number; burst: number } | undefined {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? { ratePerSec: v, burst: Math.max(v, 10) } : undefined;
}

const relay = await createRelay({
  port: positive('RELAY_PORT', 8787),
  host: env.RELAY_HOST ?? '0.0.0.0',
  dataDir: env.RELAY_DATA_DIR ?? './.data/relay',
  appId: required('META_APP_ID'),
  appSecret: required('META_APP_SECRET'),
  verifyToken: required('META_VERIFY_TOKEN'),
  graphApiUrl: env.GRAPH_API_URL ?? 'https://graph.facebook.com',
  graphVersion: env.GRAPH_API_VERSION || undefined,
  publicUrl: env.RELAY_PUBLIC_URL || undefined,
  retentionMs: (() => {
    const days = positive('RELAY_RETENTION_DAYS', undefined);
    return days === undefined ? undefined : days * 24 * 3600_000;
  })(),
  rateLimits: { webhook: rate('RELAY_RATE_WEBHOOK_PER_SEC'), public: rate('RELAY_RATE_PUBLIC_PER_SEC') },
  log,
});
// Parents (tests, benchmarks, process managers) read this line to learn the port.
process.stdout.write(JSON.stringify({ msg: 'relay ready', url: relay.url, port: relay.port }) + '\n');

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    relay.close().then(
      () => process.exit(0),
      (e: unknown) => {
        log.error('shutdown failed', { error: (e as Error).message });
        process.exit(1);
      },
    );
  });
}
