import { build } from 'esbuild';
import { EventEmitter } from 'node:events';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadInboxBridge } from '../../shared/bridge';
import { preloadBuildOptions } from '../../main/tools/build';

/**
 * Runs the real preload bundle the way a sandboxed renderer does: its own context, a `require`
 * that only knows 'electron' (the sandbox allows little more), and Electron's contextBridge and
 * ipcRenderer stood in by recorders, since the Electron binary is not on this machine.
 */
let bridge: LeadInboxBridge;
const invoked: unknown[][] = [];
const ipc = new EventEmitter();
const requested: string[] = [];

beforeAll(async () => {
  const result = await build({ ...preloadBuildOptions('preload.cjs'), write: false });
  const code = result.outputFiles[0]!.text;
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: LeadInboxBridge) => {
        expect(key).toBe('leadInbox');
        bridge = api;
      },
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, value: 'from main' });
      },
      on: (channel: string, fn: (...a: unknown[]) => void) => ipc.on(channel, fn),
    },
  };
  const sandboxRequire = (name: string) => {
    requested.push(name);
    if (name === 'electron') return electron;
    throw new Error(`module not found in sandboxed preload: ${name}`);
  };
  const module = { exports: {} };
  runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
});

describe('the bundled preload', () => {
  it('needs nothing but electron, as a sandboxed preload must', () => {
    expect([...new Set(requested)]).toEqual(['electron']);
  });

  it("passes known methods to api:call and returns main's answer", async () => {
    await expect(bridge.call('leads.list', { offset: 0, limit: 5 })).resolves.toEqual({
      ok: true,
      value: 'from main',
    });
    expect(invoked.at(-1)).toEqual(['api:call', 'leads.list', { offset: 0, limit: 5 }]);
  });

  it('answers an unknown method itself with invalid_input, without touching IPC', async () => {
    const before = invoked.length;
    const r = await bridge.call('fs.readFile' as 'leads.list', {} as never);
    expect(r).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'Unknown method: fs.readFile' },
    });
    expect(invoked.length).toBe(before);
  });

  it('delivers only the subscribed event to each listener, until unsubscribed', () => {
    const got: unknown[] = [];
    const off = bridge.on('app.navigate', (p) => got.push(p));
    ipc.emit('api:event', {}, 'app.navigate', { route: 'lead/1' });
    ipc.emit('api:event', {}, 'settings.changed', { x: 1 });
    ipc.emit('api:event', {}, 'not.an.event', { route: 'lead/2' });
    off();
    ipc.emit('api:event', {}, 'app.navigate', { route: 'lead/3' });
    expect(got).toEqual([{ route: 'lead/1' }]);
  });

  it('refuses to subscribe to an event that is not in the shared table', () => {
    expect(() => bridge.on('ipc.raw' as 'app.navigate', () => {})).toThrow(
      'Unknown event: ipc.raw',
    );
  });
});
