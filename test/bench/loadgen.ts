/**
 * A small keep-alive HTTP/1.1 load generator. Every throughput figure and its baseline (a bare
 * node:http server) go through this same generator, so the ratio between them measures the
 * server, not the client. `concurrency` = requests in flight = keep-alive connections.
 *
 * It writes each request as one pre-built buffer on a raw TCP socket and parses only the status
 * line and the body framing of the answer (like wrk). node:http's client cost ~95 µs of CPU per
 * request on the 2-core VM, more than the bare server it measured: on two cores shared with the
 * server, the generator was taking the CPU the server needed and capped both figures.
 */
import { connect, type Socket } from 'node:net';
import { percentile } from './types';

export interface LoadRequest {
  path: string;
  body: Buffer | string;
  headers?: Record<string, string>;
}

export interface LoadOptions {
  /** Base URL, e.g. http://127.0.0.1:4321 */
  url: string;
  total: number;
  concurrency: number;
  /** Builds request i (0-based); called just before sending, so bodies can carry send times. */
  request(i: number): LoadRequest;
  /** Steady rate instead of flat out: request i is sent at start + i / ratePerSec seconds. */
  ratePerSec?: number;
  /** Called with each response (e.g. to record which event ids got a 200). */
  onResponse?(i: number, status: number, latencyMs: number): void;
}

export interface LoadResult {
  sent: number;
  /** Responses by status code; 0 = the request failed before a status (socket error). */
  statuses: Record<number, number>;
  ok: number;
  durationMs: number;
  /** 2xx responses per second over the whole run. */
  okPerSec: number;
  latencyP50: number;
  latencyP99: number;
  latencies: number[];
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const target = new URL(opts.url);
  const statuses: Record<number, number> = {};
  const latencies: number[] = [];
  let next = 0;
  let ok = 0;
  const started = performance.now();

  const worker = async (): Promise<void> => {
    const conn = new Connection(target.hostname, Number(target.port));
    try {
      for (;;) {
        const i = next++;
        if (i >= opts.total) return;
        if (opts.ratePerSec) {
          const due = started + (i * 1000) / opts.ratePerSec;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        const bytes = encodeRequest(opts.request(i), target.host);
        const t0 = performance.now();
        const status = await conn.exchange(bytes);
        const ms = performance.now() - t0;
        latencies.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) ok++;
        opts.onResponse?.(i, status, ms);
      }
    } finally {
      conn.close();
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  const durationMs = performance.now() - started;
  return {
    sent: opts.total,
    statuses,
    ok,
    durationMs,
    okPerSec: (ok * 1000) / durationMs,
    latencyP50: percentile(latencies, 50),
    latencyP99: percentile(latencies, 99),
    latencies,
  };
}

/** One POST as the bytes on the wire (headers and body in one buffer: one write, one segment). */
export function encodeRequest(req: LoadRequest, host: string): Buffer {
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body;
  let head = `POST ${req.path} HTTP/1.1\r\nhost: ${host}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n`;
  for (const [k, v] of Object.entries(req.headers ?? {})) head += `${k}: ${v}\r\n`;
  head += '\r\n';
  const headLength = Buffer.byteLength(head);
  const out = Buffer.allocUnsafe(headLength + body.length);
  out.write(head, 0, 'latin1');
  body.copy(out, headLength);
  return out;
}

/**
 * One keep-alive connection with one request in flight at a time. Resolves each exchange with the
 * status once the whole answer (Content-Length or chunked body) is read; 0 when the socket failed,
 * after which the next exchange opens a new connection.
 */
class Connection {
  private socket: Socket | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: ((status: number) => void) | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  exchange(bytes: Buffer): Promise<number> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.open().write(bytes);
    });
  }

  close(): void {
    const s = this.socket;
    this.socket = null;
    s?.destroy();
  }

  private open(): Socket {
    if (this.socket) return this.socket;
    const s = connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = s;
    this.buffer = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      this.buffer = this.buffer.length === 0 ? d : Buffer.concat([this.buffer, d]);
      this.parse();
    });
    // Only the current socket's failure fails the exchange (a closed predecessor's late event must not).
    const fail = () => {
      if (this.socket !== s) return;
      this.socket = null;
      this.settle(0);
    };
    s.on('error', fail);
    s.on('close', fail);
    return s;
  }

  private settle(status: number): void {
    const w = this.waiting;
    this.waiting = null;
    w?.(status);
  }

  private parse(): void {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const head = this.buffer.toString('latin1', 0, headEnd).toLowerCase();
    const status = Number(head.slice(9, 12));
    const bodyStart = headEnd + 4;
    let end: number;
    const length = /\r\ncontent-length: *(\d+)/.exec(head);
    if (length) {
      end = bodyStart + Number(length[1]);
      if (this.buffer.length < end) return;
    } else if (/\r\ntransfer-encoding: *chunked/.test(head)) {
      const chunkedEnd = endOfChunked(this.buffer, bodyStart);
      if (chunkedEnd === -1) return;
      end = chunkedEnd;
    } else {
      end = bodyStart;
    }
    this.buffer = this.buffer.subarray(end);
    if (/\r\nconnection: *close/.test(head)) this.close();
    this.settle(status);
  }
}

/** Index just past a chunked body starting at `from` (no trailers), or -1 while incomplete. */
function endOfChunked(buf: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const lineEnd = buf.indexOf('\r\n', i);
    if (lineEnd === -1) return -1;
    const size = parseInt(buf.toString('latin1', i, lineEnd), 16);
    if (size === 0) return buf.length >= lineEnd + 4 ? lineEnd + 4 : -1;
    i = lineEnd + 2 + size + 2;
    if (i > buf.length) return -1;
  }
}
