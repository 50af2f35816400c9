/**
 * Child-process entry for the generator, so the benchmark's own RSS never carries its garbage.
 * After writing the leads it starts the core once and lets its one-time start-up passes over the
 * store finish (today: the conversations area's lead → contact sweep), so the benchmark measures
 * an installed app in its steady state, not its first start after an upgrade.
 */
import { createCore } from '../../../main/core/app';
import { configFromEnv } from '../../../main/core/config';
import { generateLeads } from './generate';

const [file, count] = process.argv.slice(2);
const started = Date.now();
generateLeads(file!, Number(count));
process.stderr.write(`generated ${count} leads in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

const dataDir = file!.replace(/[\\/][^\\/]+$/, '');
const dbName = file!.slice(dataDir.length + 1);
if (dbName !== 'lead-inbox.sqlite') throw new Error('generateCli expects <dir>/lead-inbox.sqlite');
const core = createCore({
  config: { ...configFromEnv({}, { dataDir }), relayUrl: null },
  tokens: { get: async () => null, set: async () => {}, delete: async () => false, list: async () => [] },
  notifier: { notify() {} },
  openExternal: async () => {},
  logger: { info() {}, warn() {}, error() {} },
});
await core.start();
const maxRowid = core.db.prepare('SELECT max(rowid) FROM leads').pluck().get() as number;
const sweepDone = () => Number((core.db.prepare("SELECT value FROM kv WHERE key = 'conversations.leadSweepRowid'").pluck().get() as string | undefined) ?? 0) >= maxRowid;
const deadline = Date.now() + 20 * 60_000;
while (!sweepDone() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
await core.stop();
process.stderr.write(`start-up passes settled after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
