import { listPackage } from '@electron/asar';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What an installer ships. electron-builder itself packages a throwaway copy of the project
 * (this package.json, electron-builder.yml, node_modules) with a dist/ that holds the real build
 * outputs' names plus planted files that must never ship (source maps, TypeScript, tests,
 * fixtures, docs, .env). The Electron runtime is a stand-in folder (electronDist), since the
 * binary cannot be downloaded here and plays no part in choosing the app's files.
 */
const root = join(__dirname, '../..');
// js-yaml ships no types; it is the YAML parser electron-builder itself uses.
const { load } = createRequire(import.meta.url)('js-yaml') as { load(text: string): unknown };
const config = load(readText(join(root, 'electron-builder.yml'))) as Record<string, unknown>;

const shipped = [
  'dist/electron/main.cjs',
  'dist/electron/preload.cjs',
  'dist/electron/leadGroupProgram.cjs',
  'dist/electron/icons/tray.png',
  'dist/electron/icons/trayTemplate.png',
  'dist/electron/icons/icon.png',
  'dist/electron/icons/badge.png',
  'dist/renderer/index.html',
  'dist/renderer/assets/index-abc123.js',
  'dist/renderer/assets/index-abc123.css',
];
const planted = [
  'dist/electron/main.cjs.map',
  'dist/electron/preload.cjs.map',
  'dist/renderer/assets/index-abc123.js.map',
  'dist/electron/main.ts',
  'dist/renderer/App.tsx',
  'dist/.env',
  'dist/electron/.env.production',
  'dist/test/app.spec.js',
  'dist/renderer/fixtures/leads.json',
  'dist/renderer/__tests__/x.test.js',
  'dist/docs/notes.md',
  'dist/electron/README.md',
  'dist/tsconfig.node.tsbuildinfo',
];
const projectFiles = [
  '.env',
  'test/shell/x.test.ts',
  'main/core/app.ts',
  'main/tools/build.ts',
  'README.md',
  'tsconfig.json',
];

let work: string;
let asarEntries: string[];
let unpacked: string[];
let builder: { status: number | null; output: string };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lead-inbox-pack-'));
  const project = join(work, 'project');
  mkdirSync(project);
  cpSync(join(root, 'package.json'), join(project, 'package.json'));
  cpSync(join(root, 'electron-builder.yml'), join(project, 'electron-builder.yml'));
  cpSync(join(root, 'main/electron/resources'), join(project, 'main/electron/resources'), {
    recursive: true,
  });
  cpSync(join(root, 'package-lock.json'), join(project, 'package-lock.json'));
  // electron-builder walks node_modules with npm's view of the tree, which a symlink hides: copy
  // the production dependencies (what an installer may contain at all).
  for (const dir of productionDependencyDirs()) {
    cpSync(join(root, dir), join(project, dir), { recursive: true, verbatimSymlinks: true });
  }
  for (const file of [...shipped, ...planted, ...projectFiles]) {
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), `// ${file}\nconst secret = 'EAAB-not-a-real-token';\n`);
  }
  const electronDist = join(work, 'electron-dist');
  mkdirSync(join(electronDist, 'resources'), { recursive: true });
  writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(electronDist, 'electron'), 0o755);

  const out = join(work, 'release');
  const r = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/electron-builder/cli.js'),
      '--config',
      'electron-builder.yml',
      '--linux',
      'dir',
      '--publish',
      'never',
      // Packaging here must not recompile the shared node_modules for Electron.
      '-c.npmRebuild=false',
      `-c.electronDist=${electronDist}`,
      // electron (a dev dependency) is not copied; name the installed version.
      `-c.electronVersion=${(JSON.parse(readText(join(root, 'node_modules/electron/package.json'))) as { version: string }).version}`,
      `-c.directories.output=${out}`,
    ],
    { cwd: project, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
  );
  builder = { status: r.status, output: `${r.stdout}\n${r.stderr}` };
  const resources = join(out, 'linux-unpacked', 'resources');
  asarEntries =
    r.status === 0
      ? listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) =>
          p.replace(/\\/g, '/').replace(/^\//, ''),
        )
      : [];
  unpacked =
    r.status === 0
      ? walk(join(resources, 'app.asar.unpacked')).map((f) =>
          relative(join(resources, 'app.asar.unpacked'), f),
        )
      : [];
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it('names the app, its id, the leadinbox:// protocol and an installer per platform', () => {
    expect(config).toMatchObject({ appId: 'com.leadinbox.app', productName: 'Lead Inbox' });
    expect(config.protocols).toEqual([expect.objectContaining({ schemes: ['leadinbox'] })]);
    expect(config.linux).toMatchObject({
      target: ['AppImage', 'deb'],
      category: 'Office',
      maintainer: expect.any(String),
    });
    expect(JSON.stringify((config.win as { target: unknown }).target)).toContain('nsis');
    expect(JSON.stringify((config.mac as { target: unknown }).target)).toContain('dmg');
    expect(config.asarUnpack).toContain('**/*.node');
    // keytar needs libsecret at run time; GTK and libnotify for the window and notifications.
    expect((config.deb as { depends: string[] }).depends).toEqual(
      expect.arrayContaining(['libsecret-1-0', 'libnotify4', 'libgtk-3-0']),
    );
  });
});

describe('the packaged app (electron-builder --dir with this configuration)', () => {
  it('packages', () => {
    expect(builder.status, builder.output).toBe(0);
  });

  it('contains the built app and the two native modules', () => {
    for (const file of [...shipped, 'package.json']) expect(asarEntries, file).toContain(file);
    // Electron starts what package.json's "main" names: it must be in the archive.
    const { main } = JSON.parse(readText(join(root, 'package.json'))) as { main: string };
    expect(asarEntries).toContain(main);
    expect(unpacked).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(unpacked).toContain('node_modules/keytar/build/Release/keytar.node');
    expect(asarEntries).toContain('node_modules/bindings/bindings.js');
  });

  it('leaves out source maps, TypeScript, tests, fixtures, docs and .env files', () => {
    const files = [...asarEntries, ...unpacked];
    for (const file of [...planted, ...projectFiles]) expect(files, file).not.toContain(file);
    expect(
      files.filter((f) =>
        /\.(map|ts|tsx)$|(^|\/)\.env|(^|\/)(test|tests|__tests__|fixtures)\//.test(f),
      ),
    ).toEqual([]);
  });

  it('ships no JavaScript dependency that the bundles already contain, and no native sources', () => {
    const modules = new Set(
      asarEntries.filter((f) => /^node_modules\/[^/]+$/.test(f)).map((f) => f.split('/')[1]),
    );
    expect([...modules].sort()).toEqual([
      'better-sqlite3',
      'bindings',
      'file-uri-to-path',
      'keytar',
    ]);
    const files = [...asarEntries, ...unpacked];
    expect(
      files.filter((f) => /\.(c|cc|cpp|h|gyp|gypi|a|o|mk)$|obj\.target|\/deps\//.test(f)),
    ).toEqual([]);
    // The asar header lists unpacked files too, so each .node appears in both lists.
    expect([...new Set(files.filter((f) => f.endsWith('.node')))].sort()).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/keytar/build/Release/keytar.node',
    ]);
  });
});

function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

/** Top-level node_modules folders of the production dependency tree, from npm itself. */
function productionDependencyDirs(): string[] {
  const r = spawnSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], {
    cwd: root,
    encoding: 'utf8',
  });
  const dirs = new Set<string>();
  for (const line of r.stdout.split('\n')) {
    const rel = relative(root, line.trim()).replace(/\\/g, '/');
    const m = /^node_modules\/(@[^/]+\/[^/]+|[^@/][^/]*)/.exec(rel);
    if (m) dirs.add(`node_modules/${m[1]}`);
  }
  expect(dirs.size).toBeGreaterThan(4);
  return [...dirs];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
}
