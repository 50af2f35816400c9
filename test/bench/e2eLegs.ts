/**
 * Where an end-to-end latency goes: each item (a lead, a message) gets a wall-clock stamp per leg
 * (sim send, relay 200, relay frame out, core frame in, core commit, Graph fetch, host frame out,
 * page frame in, DOM), and the report gives p50/p99 of every consecutive step. Stamps are
 * Date.now() in this process and in the page on the same machine; first stamp per leg wins.
 */
import type { Page } from '@playwright/test';
import { WebSocket } from 'ws';
import { latencyOf } from './baselines';

export class Legs {
  private readonly at = new Map<string, Map<string, number>>();

  mark(id: string, leg: string, t = Date.now()): void {
    let legs = this.at.get(id);
    if (!legs) this.at.set(id, (legs = new Map()));
    if (!legs.has(leg)) legs.set(leg, t);
  }

  get(id: string, leg: string): number | undefined {
    return this.at.get(id)?.get(leg);
  }

  /** ms from leg `a` to leg `b` for every item stamped with both. */
  between(a: string, b: string): number[] {
    const out: number[] = [];
    for (const legs of this.at.values()) {
      const ta = legs.get(a);
      const tb = legs.get(b);
      if (ta !== undefined && tb !== undefined) out.push(tb - ta);
    }
    return out;
  }

  /** One line per step of `order` (p50 / p99 ms and how many items had both stamps); legs no item has are left out. */
  report(legs: string[], log: (m: string) => void): void {
    const stamped = new Set([...this.at.values()].flatMap((m) => [...m.keys()]));
    const order = legs.filter((l) => stamped.has(l));
    if (order.length < 2) return;
    for (let i = 1; i < order.length; i++) {
      const l = latencyOf(this.between(order[i - 1]!, order[i]!));
      log(`  ${order[i - 1]} → ${order[i]}: p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms (${l.samples})`);
    }
    const l = latencyOf(this.between(order[0]!, order.at(-1)!));
    log(`  ${order[0]} → ${order.at(-1)}: p50 ${l.p50.toFixed(1)} ms, p99 ${l.p99.toFixed(1)} ms (${l.samples})`);
  }
}

/**
 * Stamps every ws frame sent or received in this process (relay, core's relay stream and host all
 * run here in the benchmarks). `onFrame` must be cheap: it runs inside each send and receive.
 */
export function tapNodeSockets(onFrame: (dir: 'in' | 'out', text: string, t: number) => void): () => void {
  const proto = WebSocket.prototype as unknown as {
    emit(event: string | symbol, ...args: unknown[]): boolean;
    send(data: unknown, ...rest: unknown[]): void;
  };
  const emit = proto.emit;
  const send = proto.send;
  proto.emit = function (this: unknown, event: string | symbol, ...args: unknown[]) {
    if (event === 'message') onFrame('in', String(args[0]), Date.now());
    return emit.call(this, event, ...args);
  };
  proto.send = function (this: unknown, data: unknown, ...rest: unknown[]) {
    if (typeof data === 'string') onFrame('out', data, Date.now());
    return send.call(this, data, ...rest);
  };
  return () => {
    proto.emit = emit;
    proto.send = send;
  };
}

/**
 * Before the app loads: every host event frame the page receives is stamped (Date.now()) by the
 * ids in its payload, `window.__frames[event][id]`, before the app's own handler runs.
 */
export async function tapPageSocket(page: Page, idOf: string): Promise<void> {
  // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
  await page.addInitScript(`(() => {
    const frames = {};
    window.__frames = frames;
    const Native = window.WebSocket;
    function Tapped(url, protocols) {
      const ws = new Native(url, protocols);
      ws.addEventListener('message', (e) => {
        const now = Date.now();
        const text = String(e.data);
        if (!text.startsWith('{"event"')) return;
        const f = JSON.parse(text);
        const id = (${idOf})(f.payload);
        if (id === undefined || id === null) return;
        const seen = (frames[f.event] ??= {});
        if (!(id in seen)) seen[id] = now;
      });
      return ws;
    }
    Tapped.prototype = Native.prototype;
    for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Tapped[k] = Native[k];
    window.WebSocket = Tapped;
  })()`);
}

/** The page's stamps from tapPageSocket: event name → item id → ms. */
export function pageFrames(page: Page): Promise<Record<string, Record<string, number>>> {
  return page.evaluate(() => (window as unknown as { __frames: Record<string, Record<string, number>> }).__frames);
}
