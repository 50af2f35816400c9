#!/usr/bin/env node
/**
 * Before `npm start` / packaging: make sure better-sqlite3 and keytar are built for Electron's
 * ABI (never in postinstall: that would break the Node tests right after `npm install`).
 * Rebuilds only what differs, with @electron/rebuild, which fetches Electron's headers (network).
 * `npm test` switches back through main/tools/ensure-node-abi.mjs.
 *   node main/tools/ensure-electron-abi.mjs               switch if needed
 *   node main/tools/ensure-electron-abi.mjs --check       only report; exit 1 if a switch is needed
 *   node main/tools/ensure-electron-abi.mjs --root <dir>  work on another app folder (a staged copy,
 *                                                       see stageApp in native-abi.mjs)
 */
/* global console */
import { join } from 'node:path';
import process from 'node:process';
import {
  describeModules,
  electronTarget,
  ensureAbi,
  inspectModules,
  modulesToRebuild,
  run,
} from './native-abi.mjs';

const project = join(import.meta.dirname, '..', '..');
const target = electronTarget(project);

const { code, root, rebuilt } = ensureAbi({
  label: 'Electron',
  target,
  argv: process.argv,
  defaultRoot: project,
  rebuild: (root, pending) => {
    const status = run(
      root,
      join(project, 'node_modules', '.bin', 'electron-rebuild'),
      ['--version', target.version, '--module-dir', root, '--only', pending.join(','), '--force'],
      // A nodedir from npm's config (e.g. nodedir=/usr for offline Node builds) would make
      // node-gyp compile against Node's headers instead of Electron's.
      { npm_config_nodedir: undefined, NPM_CONFIG_NODEDIR: undefined },
    );
    return {
      status,
      ok: status === 0 && modulesToRebuild(inspectModules(root), target, null).length === 0,
    };
  },
  failure: (pending, status, root) =>
    `native modules: could not build ${pending.join(', ')} for Electron ${target.version} (exit ${status}); ` +
    `left as they were (${describeModules(inspectModules(root))}). ` +
    'electron-rebuild downloads Electron headers from electronjs.org: this needs network access.',
});
if (code === 0 && rebuilt)
  console.log(`native modules: ready for Electron — ${describeModules(inspectModules(root))}`);
process.exit(code);
