import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../main/core/app';
import { configFromEnv } from '../../main/core/config';
import {
  createApiCallHandler,
  maxInputBytes,
  type IpcSender,
} from '../../main/electron/pure/ipcGuard';

/**
 * The IPC edge in front of the real core dispatch (real SQLite in a temp folder). What the
 * renderer would see is the Result envelope, so that is what is asserted.
 */
const rendererUrl = 'file:///opt/Lead%20Inbox/resources/app.asar/dist/renderer/index.html';
const ours: IpcSender = { webContentsId: 7, frameUrl: `${rendererUrl}#/leads`, isMainFrame: true };

let dir: string;
let core: Core;
const rejected: string[] = [];
let accepting = true;
let handle: ReturnType<typeof createApiCallHandler>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'shell-ipc-'));
  core = createCore({
    config: configFromEnv({}, { dataDir: dir }),
    tokens: {
      get: () => Promise.reject(new Error('no keychain in this test')),
      set: () => Promise.reject(new Error('no keychain in this test')),
      delete: () => Promise.reject(new Error('no keychain in this test')),
      list: () => Promise.resolve([]),
    },
    notifier: { notify: () => {} },
    openExternal: () => Promise.reject(new Error('not in this test')),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  });
  handle = createApiCallHandler({
    dispatch: core.dispatch,
    trusted: () => ({
      webContentsId: 7,
      documentUrl: 'file:///opt/Lead Inbox/resources/app.asar/dist/renderer/index.html',
    }),
    accepting: () => accepting,
    onRejected: (reason) => rejected.push(reason),
  });
});

afterAll(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('api:call from our window', () => {
  it('reaches the core and returns its answer', async () => {
    const r = await handle(ours, ['leads.list', { offset: 0, limit: 10 }]);
    expect(r).toMatchObject({ ok: true, value: { rows: [], total: 0 } });
  });

  it('rejects an unknown method with a clear error', async () => {
    const r = await handle(ours, ['leads.drop', {}]);
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Unknown method: "leads.drop"' },
    });
  });

  it('rejects input that does not match the shared schema and names the field', async () => {
    const r = await handle(ours, ['leads.list', { offset: -1, limit: 'ten' }]);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid_input');
    expect(r.error.issues?.map((i) => i.path).sort()).toEqual(['limit', 'offset']);
    expect(r.error.message).toMatch(/^Invalid input for leads\.list: /);
  });

  it.each([
    [[], 'expected (method, input), got 0 arguments'],
    [['leads.list', {}, 'extra'], 'expected (method, input), got 3 arguments'],
    [[42, {}], 'method name must be a string'],
    [['leads.list', 'offset=0'], 'input must be an object'],
    [['leads.list', [1, 2]], 'input must be an object'],
    [['leads.list', null], 'input must be an object'],
    [
      ['leads.list', { blob: 'x'.repeat(maxInputBytes) }],
      `input is larger than ${maxInputBytes} bytes`,
    ],
  ])('refuses malformed arguments %# with invalid_input', async (args, reason) => {
    const r = await handle(ours, args as unknown[]);
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: `Invalid call: ${reason}.` },
    });
  });
});

describe('api:call from anywhere else', () => {
  it.each([
    [{ ...ours, webContentsId: 8 }, 'message from another web contents'],
    [{ ...ours, isMainFrame: false }, 'message from a subframe'],
    [{ ...ours, frameUrl: null }, 'sender frame is gone'],
    [
      { ...ours, frameUrl: 'https://www.facebook.com/dialog/oauth' },
      'message from a page that is not the app',
    ],
    [
      { ...ours, frameUrl: 'file:///tmp/evil/index.html' },
      'message from a page that is not the app',
    ],
  ])('is refused before the core sees it (%#)', async (sender, reason) => {
    rejected.length = 0;
    const r = await handle(sender, ['leads.list', {}]);
    expect(r).toEqual({
      ok: false,
      error: { code: 'not_allowed', message: `Call refused: ${reason}.` },
    });
    expect(rejected).toEqual([reason]);
  });

  it('is refused when there is no window at all', async () => {
    const noWindow = createApiCallHandler({ dispatch: core.dispatch, trusted: () => null });
    expect(await noWindow(ours, ['leads.list', {}])).toMatchObject({
      ok: false,
      error: { code: 'not_allowed' },
    });
  });
});

describe('while quitting', () => {
  it('refuses new calls with "offline" so nothing starts that cannot finish', async () => {
    accepting = false;
    try {
      expect(await handle(ours, ['leads.list', {}])).toEqual({
        ok: false,
        error: { code: 'offline', message: 'Lead Inbox is closing.' },
      });
    } finally {
      accepting = true;
    }
  });
});
