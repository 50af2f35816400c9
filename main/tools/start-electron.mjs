#!/usr/bin/env node
/**
 * `npm start`: build, stage the app with its native modules in node_modules/.cache (the layout
 * of a packaged app), rebuild those for Electron's ABI only when they differ, launch Electron.
 * The project's own node_modules stay built for Node, so `npm test` and `npm run web` keep
 * working while the app runs. Without the Electron binary (an offline install skips its download)
 * it says so in one line and exits non-zero; `npm run web` opens the same app in a browser.
 */
/* global console */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import process from 'node:process';
import { electronBinary, run, stageApp } from './native-abi.mjs';

const root = join(import.meta.dirname, '..', '..');
const electron = electronBinary(root);
if (!electron.path) {
  console.error(
    `Lead Inbox: cannot start the desktop app: ${electron.reason}; run "npm install" with network access, or "npm run web" to use the app in your browser.`,
  );
  process.exit(1);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
if (run(root, bin('tsx'), ['main/tools/build.ts']) !== 0) process.exit(1);
const appDir = stageApp(root, join(root, 'node_modules', '.cache', 'lead-inbox', 'electron-app'));
const abi = run(root, process.execPath, ['main/tools/ensure-electron-abi.mjs', '--root', appDir]);
if (abi !== 0) process.exit(1);

const child = spawn(
  electron.path,
  [join(appDir, 'dist/electron/main.cjs'), ...process.argv.slice(2)],
  {
    cwd: appDir,
    stdio: 'inherit',
    // ELECTRON_RUN_AS_NODE in the parent shell would start plain Node instead of the app.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
