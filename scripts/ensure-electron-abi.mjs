#!/usr/bin/env node
/**
 * Before `npm start` / packaging: make sure better-sqlite3 and keytar are built for Electron's
 * ABI (never in postinstall: that would break the Node tests right after `npm install`).
 * Rebuilds only what differs, with @electron/rebuild, which fetches Electron's headers (network).
 * `npm test` switches back through scripts/ensure-node-abi.mjs.
 *   node scripts/ensure-electron-abi.mjs               switch if needed
 *   node scripts/ensure-electron-abi.mjs --check       only report; exit 1 if a switch is needed
 *   node scripts/ensure-electron-abi.mjs --root <dir>  work on another app folder (a staged copy,
 *                                                       see stageApp in native-abi.mjs)
 */
/* global console */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import {
  describeModules,
  electronTarget,
  inspectModules,
  modulesToRebuild,
  readMarker,
  run,
  withAddonBackup,
  withLock,
  writeMarker,
} from './native-abi.mjs';

const project = join(import.meta.dirname, '..');
const rootArg = process.argv.indexOf('--root');
const root =
  rootArg > 0 && process.argv[rootArg + 1] ? resolve(process.argv[rootArg + 1]) : project;
const target = electronTarget(project);
const checkOnly = process.argv.includes('--check');

if (!existsSync(join(root, 'package.json'))) {
  console.error(`native modules: no app at ${root} (no package.json)`);
  process.exit(1);
}

const plan = () => modulesToRebuild(inspectModules(root), target, readMarker(root));
let pending = plan();
if (pending.length === 0) {
  console.log(
    `native modules: built for Electron ${target.version} (ABI ${target.abi}) — ${describeModules(inspectModules(root))}`,
  );
  process.exit(0);
}
if (checkOnly) {
  console.log(
    `native modules: ${pending.join(', ')} must be rebuilt for Electron ABI ${target.abi} (${describeModules(inspectModules(root))})`,
  );
  process.exit(1);
}

// Inside the lock nothing calls process.exit: the lock must be released on every path.
const code = withLock(root, () => {
  pending = plan();
  if (pending.length === 0) return 0;
  console.log(
    `native modules: rebuilding ${pending.join(', ')} for Electron ${target.version} (ABI ${target.abi})`,
  );
  let status = 0;
  const ok = withAddonBackup(root, pending, () => {
    status = run(
      root,
      join(project, 'node_modules', '.bin', 'electron-rebuild'),
      [
        '--version',
        target.version,
        '--module-dir',
        root,
        '--only',
        pending.join(','),
        '--force',
        // A nodedir from npm's config (e.g. nodedir=/usr for offline Node builds) would make
        // node-gyp compile against Node's headers instead of Electron's.
      ],
      { npm_config_nodedir: undefined, NPM_CONFIG_NODEDIR: undefined },
    );
    return status === 0 && modulesToRebuild(inspectModules(root), target, null).length === 0;
  });
  if (!ok) {
    console.error(
      `native modules: could not build ${pending.join(', ')} for Electron ${target.version} (exit ${status}); ` +
        `left as they were (${describeModules(inspectModules(root))}). ` +
        'electron-rebuild downloads Electron headers from electronjs.org: this needs network access.',
    );
    return 1;
  }
  writeMarker(root, target);
  console.log(`native modules: ready for Electron — ${describeModules(inspectModules(root))}`);
  return 0;
});
process.exit(code);
