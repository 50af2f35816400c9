#!/usr/bin/env node
/**
 * Before tests: make sure better-sqlite3 and keytar are built for this Node (they are after
 * `npm install`, but not after `npm start` or `npm run dist` switched them to Electron).
 * Rebuilds only what differs, then proves the result by loading both modules in a child Node.
 *   node scripts/ensure-node-abi.mjs               switch if needed
 *   node scripts/ensure-node-abi.mjs --check       only report; exit 1 if a switch is needed
 *   node scripts/ensure-node-abi.mjs --root <dir>  work on another app folder
 */
/* global console */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import process from 'node:process';
import {
  describeModules,
  inspectModules,
  modulesToRebuild,
  nodeTarget,
  readMarker,
  run,
  withAddonBackup,
  withLock,
  writeMarker,
} from './native-abi.mjs';

const rootArg = process.argv.indexOf('--root');
const root =
  rootArg > 0 && process.argv[rootArg + 1]
    ? resolve(process.argv[rootArg + 1])
    : join(import.meta.dirname, '..');
const target = nodeTarget();
const checkOnly = process.argv.includes('--check');

if (!existsSync(join(root, 'package.json'))) {
  console.error(`native modules: no app at ${root} (no package.json)`);
  process.exit(1);
}

const plan = () => modulesToRebuild(inspectModules(root), target, readMarker(root));
let pending = plan();
if (pending.length === 0) {
  console.log(
    `native modules: built for Node ${target.version} (ABI ${target.abi}) — ${describeModules(inspectModules(root))}`,
  );
  process.exit(0);
}
if (checkOnly) {
  console.log(
    `native modules: ${pending.join(', ')} must be rebuilt for Node ABI ${target.abi} (${describeModules(inspectModules(root))})`,
  );
  process.exit(1);
}

// Inside the lock nothing calls process.exit: the lock must be released on every path.
const code = withLock(root, () => {
  pending = plan(); // another process may have switched while we waited for the lock
  if (pending.length === 0) return 0;
  console.log(
    `native modules: rebuilding ${pending.join(', ')} for Node ${target.version} (ABI ${target.abi})`,
  );
  // prebuild-install fetches a prebuilt binary when online, else node-gyp compiles from source.
  let status = 0;
  const ok = withAddonBackup(root, pending, () => {
    status = run(root, 'npm', ['rebuild', ...pending]);
    return status === 0;
  });
  if (!ok) {
    console.error(
      `native modules: npm rebuild failed (exit ${status}); run "npm rebuild ${pending.join(' ')}" and read its output`,
    );
    return 1;
  }
  writeMarker(root, target);
  return 0;
});
if (code !== 0) process.exit(code);

const load = spawnSync(
  process.execPath,
  ['-e', "new (require('better-sqlite3'))(':memory:').close(); require('keytar')"],
  {
    cwd: root,
    encoding: 'utf8',
  },
);
if (load.status !== 0) {
  console.error(`native modules: still not loadable under Node:\n${load.stderr}`);
  process.exit(1);
}
console.log(`native modules: ready for Node — ${describeModules(inspectModules(root))}`);
