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
import { join, resolve } from 'node:path';
import process from 'node:process';
import {
  describeModules,
  electronTarget,
  inspectModules,
  modulesToRebuild,
  readMarker,
  run,
  withLock,
  writeMarker,
} from './native-abi.mjs';

const project = join(import.meta.dirname, '..');
const rootArg = process.argv.indexOf('--root');
const root =
  rootArg > 0 && process.argv[rootArg + 1] ? resolve(process.argv[rootArg + 1]) : project;
const target = electronTarget(project);
const checkOnly = process.argv.includes('--check');

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

withLock(root, () => {
  pending = plan();
  if (pending.length === 0) return;
  console.log(
    `native modules: rebuilding ${pending.join(', ')} for Electron ${target.version} (ABI ${target.abi})`,
  );
  const status = run(root, join(project, 'node_modules', '.bin', 'electron-rebuild'), [
    '--version',
    target.version,
    '--module-dir',
    root,
    '--only',
    pending.join(','),
    '--force',
  ]);
  const after = inspectModules(root);
  if (status !== 0 || modulesToRebuild(after, target, null).length > 0) {
    console.error(
      `native modules: could not build for Electron ${target.version} (exit ${status}; ${describeModules(after)}). ` +
        'electron-rebuild downloads Electron headers from electronjs.org: this needs network access.',
    );
    process.exit(1);
  }
  writeMarker(root, target);
  console.log(`native modules: ready for Electron — ${describeModules(after)}`);
});
