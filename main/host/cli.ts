/**
 * `npm run web`: the desktop core behind the Node host, with the UI in the owner's browser. Used
 * where Electron is unavailable and by the end-to-end tests' manual twin.
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createCore } from '../core/app';
import { configFromEnv } from '../core/config';
import { createKeytarTokenStore } from '../core/keychain/keytarTokenStore';
import { createFileLogger } from '../core/log/fileLogger';
import { createHostNotifier } from './notifier';
import { startHost } from './server';
import { ensureRendererBuilt } from '../tools/rendererBuild';

const staticDir = resolve('dist/renderer');

/** Tries the platform's opener; printing the URL is the fallback that always works. */
function openInBrowser(url: string): Promise<void> {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No opener on this machine: the URL is printed above.
  }
  return Promise.resolve();
}

async function main() {
  const config = configFromEnv(process.env, { dataDir: resolve('.data/desktop') });
  ensureRendererBuilt();
  const logger = createFileLogger({ dir: join(config.dataDir, 'logs'), echo: (line) => process.stderr.write(`${line}\n`) });
  const core = createCore({
    config,
    tokens: createKeytarTokenStore(process.env.LEAD_INBOX_KEYCHAIN_SERVICE || undefined),
    notifier: createHostNotifier(logger),
    openExternal: async (url) => {
      console.log(`Open this address to continue: ${url}`);
      await openInBrowser(url);
    },
    logger,
  });
  await core.start();
  const port = process.env.LEAD_INBOX_HOST_PORT ? Number(process.env.LEAD_INBOX_HOST_PORT) : 0;
  const host = await startHost({ core, port, staticDir, exportsDir: join(config.dataDir, 'exports') });
  console.log(`Lead Inbox is running at ${host.url}`);
  if (process.env.LEAD_INBOX_NO_BROWSER !== '1') await openInBrowser(host.url);

  const shutdown = async () => {
    await host.close();
    await core.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
