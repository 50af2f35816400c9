import type { WebSocket } from 'ws';
import { clientFrame, relayCloseCodes, type RoutingKind, type ServerFrame } from '../shared/relay-protocol';
import type { EventLog } from './eventLog';
import type { InstallRegistry } from './installs';
import type { Metrics } from './metrics';

export interface SessionOptions {
  /** Unacked events in flight per install. */
  window: number;
  /** Stop writing to a socket whose unsent buffer exceeds this (slow reader). */
  maxBufferedBytes: number;
  heartbeatMs: number;
}

/**
 * One install's stream. Sends nothing until the client's `hello` names its cursor; then the stored
 * backlog after that cursor, oldest first, then live events, never more than `window` unacked and
 * never while the socket's own buffer is full, so a slow reader costs the relay a bounded amount of
 * memory and cannot hold up anyone else (each session reads the log on its own schedule).
 */
export class Session {
  private lastSent = 0;
  private started = false;
  private waitingForDrain = false;
  lastHeardAt: number;

  constructor(
    readonly installId: string,
    private readonly ws: WebSocket,
    private readonly log: EventLog,
    private readonly installs: InstallRegistry,
    private readonly metrics: Metrics,
    private readonly opts: SessionOptions,
    now: number,
  ) {
    this.lastHeardAt = now;
  }

  get bufferedBytes(): number {
    return this.ws.bufferedAmount;
  }

  get sentSeq(): number {
    return this.lastSent;
  }

  /** Handles one text frame; returns false when the frame was invalid (socket is closed). */
  receive(text: string, now: number): boolean {
    this.lastHeardAt = now;
    let frame;
    try {
      frame = clientFrame.parse(JSON.parse(text));
    } catch {
      this.close('bad_frame', 'Frame is not valid JSON of the relay protocol.');
      return false;
    }
    switch (frame.type) {
      case 'hello':
        if (!this.started) this.start(frame.cursor);
        break;
      case 'ack': {
        // Cumulative; an ack beyond what we sent is clamped (it cannot commit what it never got).
        const seq = Math.min(frame.seq, this.lastSent);
        if (seq > this.installs.acked(this.installId)) {
          this.metrics.acked += seq - Math.max(this.installs.acked(this.installId), 0);
          this.installs.ack(this.installId, seq);
        }
        this.pump();
        break;
      }
      case 'ping':
        this.send({ type: 'pong', t: frame.t });
        break;
      case 'pong':
        break;
    }
    return true;
  }

  private start(cursor: number | null): void {
    this.started = true;
    const head = this.installs.head(this.installId);
    let gap: ServerFrame | null = null;
    if (cursor === null) {
      // First connect (or a client that lost its cursor): resume after what the relay saw acked.
      this.lastSent = Math.min(this.installs.acked(this.installId), head);
    } else if (cursor > head) {
      // The client claims more than this relay ever assigned (e.g. restored from another relay):
      // tell it so, and continue from our head.
      gap = { type: 'gap', cursor, oldestSeq: head + 1, dropped: 0 };
      this.lastSent = head;
    } else {
      this.lastSent = cursor;
      // The cursor is what the client has committed: an ack in itself. Without this, acks lost in
      // a relay crash would count as in flight and could fill the window before anything is sent.
      this.installs.ack(this.installId, cursor);
    }
    // The first event still held after lastSent: retention may have dropped the ones before it.
    const oldestSeq = this.log.read(this.installId, this.lastSent, 1)[0]?.seq ?? head + 1;
    if (cursor !== null && cursor <= head && oldestSeq > cursor + 1)
      gap = { type: 'gap', cursor, oldestSeq, dropped: oldestSeq - cursor - 1 };
    this.send({
      type: 'welcome',
      installId: this.installId,
      headSeq: head,
      // What will actually be sent: a client counts it down to know it has caught up.
      backlog: Math.max(0, head - oldestSeq + 1),
      heartbeatMs: this.opts.heartbeatMs,
    });
    if (gap) this.send(gap);
    this.pump();
  }

  /** Sends stored events while the window and the socket buffer allow. */
  pump(): void {
    if (!this.started || this.waitingForDrain || this.ws.readyState !== this.ws.OPEN) return;
    const acked = () => Math.max(this.installs.acked(this.installId), 0);
    for (;;) {
      const room = this.opts.window - (this.lastSent - Math.min(acked(), this.lastSent));
      if (room <= 0) return;
      if (this.ws.bufferedAmount > this.opts.maxBufferedBytes) {
        this.waitingForDrain = true;
        // ws calls back once this frame is handed to the socket: resume then.
        this.ws.send(JSON.stringify({ type: 'ping', t: Date.now() }), () => {
          this.waitingForDrain = false;
          this.pump();
        });
        return;
      }
      const rows = this.log.read(this.installId, this.lastSent, Math.min(room, 64));
      if (rows.length === 0) return;
      let sent = 0;
      for (const r of rows) {
        // Checked per frame so the overshoot past the limit is at most one event.
        if (this.ws.bufferedAmount > this.opts.maxBufferedBytes) break;
        sent++;
        this.send({
          type: 'event',
          seq: r.seq,
          receivedAt: r.receivedAt,
          object: r.object,
          kind: r.kind as RoutingKind,
          assetId: r.assetId,
          raw: r.raw,
        });
        this.lastSent = r.seq;
      }
      this.metrics.delivered += sent;
    }
  }

  send(frame: ServerFrame): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(frame));
  }

  close(code: 'bad_frame' | 'session_expired' | 'shutting_down' | 'replaced', message: string): void {
    if (code !== 'replaced') this.send({ type: 'error', code, message });
    const closeCode = {
      bad_frame: relayCloseCodes.badFrame,
      session_expired: relayCloseCodes.sessionExpired,
      shutting_down: relayCloseCodes.shuttingDown,
      replaced: relayCloseCodes.replaced,
    }[code];
    this.ws.close(closeCode, code);
  }

  terminate(): void {
    this.ws.terminate();
  }
}
