/**
 * Builds the relay into one ESM file for hosting (`npx tsx relay/bundle.ts [outDir]`), so the server
 * runs on plain `node` without the TypeScript loader (about 35 MB less RSS). Native and
 * optional-native modules stay external and come from node_modules.
 */
import { build } from 'esbuild';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');

export async function bundleRelay(outDir: string): Promise<string> {
  const outfile = resolve(outDir, 'relay.mjs');
  await build({
    entryPoints: [resolve(root, 'relay/cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'ws', 'bufferutil', 'utf-8-validate'],
    outfile,
    logLevel: 'warning',
  });
  // The ingest transaction is plain CommonJS loaded at run time by path (main thread and worker).
  copyFileSync(resolve(root, 'relay/commitProgram.cjs'), resolve(outDir, 'commitProgram.cjs'));
  return outfile;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await bundleRelay(resolve(process.argv[2] ?? 'dist/relay'));
  process.stdout.write(`relay bundle: ${out}\n`);
}
