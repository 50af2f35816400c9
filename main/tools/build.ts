/**
 * `npm run build`: the renderer with Vite (dist/renderer), then the Electron main process and
 * preload with esbuild as CommonJS (dist/electron/main.cjs, preload.cjs), and the tray icons.
 * Native modules and electron itself stay external: they are loaded from node_modules at run time
 * (rebuilt for Electron's ABI by `npm start` / electron-builder). No source maps are shipped.
 */
import { build as esbuild, type BuildOptions } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build as viteBuild } from 'vite';

const root = join(import.meta.dirname, '..', '..');
const out = join(root, 'dist', 'electron');
const only = process.argv.slice(2); // e.g. `tsx main/tools/build.ts electron` skips the renderer

const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 40 runs Node 24; node22 keeps the output conservative.
  target: 'node22',
  sourcemap: false,
  minify: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** Shared with test/shell/preload.test.ts, which checks the bundle runs inside a sandbox. */
export function preloadBuildOptions(outfile: string): BuildOptions {
  return {
    ...common,
    platform: 'browser',
    minify: true,
    entryPoints: [join(root, 'main/electron/preload.ts')],
    outfile,
    external: ['electron'],
  };
}

async function main(): Promise<void> {
  if (!only.length || only.includes('renderer')) {
    await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  }
  if (!only.length || only.includes('electron')) {
    rmSync(out, { recursive: true, force: true });
    await esbuild({
      ...common,
      entryPoints: [join(root, 'main/electron/main.ts')],
      outfile: join(out, 'main.cjs'),
      external: ['electron', 'better-sqlite3', 'keytar'],
      // The core finds files that sit next to its modules (the lead group program) through
      // import.meta.url, which a CommonJS bundle has no value for: give it the bundle's own URL.
      define: { ...common.define, 'import.meta.url': 'importMetaUrl' },
      banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    });
    // The lead write program is plain CommonJS loaded at run time by path, on the core thread and
    // in the backfill writer thread alike (main/core/store/leadGroupProgram.ts).
    copyFileSync(
      join(root, 'main/core/store/leadGroupProgram.cjs'),
      join(out, 'leadGroupProgram.cjs'),
    );
    // A sandboxed preload can require only electron's renderer modules (and events/timers/url):
    // everything else, zod and the shared tables included, is bundled into this one file.
    await esbuild(preloadBuildOptions(join(out, 'preload.cjs')));
    mkdirSync(join(out, 'icons'), { recursive: true });
    for (const file of ['tray.png', 'trayTemplate.png', 'trayTemplate@2x.png', 'badge.png']) {
      copyFileSync(join(root, 'main', 'electron', 'resources', file), join(out, 'icons', file));
    }
    copyFileSync(
      join(root, 'main', 'electron', 'resources', 'icons', '512x512.png'),
      join(out, 'icons', 'icon.png'),
    );
  }
  console.log('build: dist/renderer and dist/electron are ready');
}

if (process.argv[1] && join(process.argv[1]) === join(import.meta.filename)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
