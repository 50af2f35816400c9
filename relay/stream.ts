import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventLog } from './eventLog';
import type { InstallRegistry } from './installs';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import { Session, type SessionOptions } from './session';

/** Client frames are tiny (hello, ack, ping); anything bigger is refused by ws itself. */
const MAX_CLIENT_FRAME = 16 * 1024;

/**
 * The `/v1/stream` endpoint: authenticates in `upgrade` (HTTP 401 before any WebSocket exists),
 * keeps one session per install (a reconnect replaces a half-dead predecessor) and runs the
 * heartbeat that terminates sockets silent for 2.5 heartbeats.
 */
export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME, perMessageDeflate: false });
  private readonly sessions = new Map<string, Session>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly log: EventLog,
    private readonly installs: InstallRegistry,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly opts: SessionOptions,
    private readonly now: () => number,
  ) {
    this.timer = setInterval(() => this.heartbeat(), opts.heartbeatMs);
    this.timer.unref();
  }

  get connected(): number {
    return this.sessions.size;
  }

  /** Bytes queued in userland for all sockets: bounded by maxBufferedBytes per session. */
  get bufferedBytes(): number {
    let n = 0;
    for (const s of this.sessions.values()) n += s.bufferedBytes;
    return n;
  }

  sentSeq(installId: string): number | null {
    return this.sessions.get(installId)?.sentSeq ?? null;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const installId = this.installs.authenticate(req.headers.authorization);
    if (!installId) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(installId, ws));
  }

  /** New events were committed for these installs: wake their sessions. */
  wake(installIds: Iterable<string>): void {
    for (const id of installIds) this.sessions.get(id)?.pump();
  }

  closeAll(): void {
    clearInterval(this.timer);
    for (const s of this.sessions.values()) s.close('shutting_down', 'The relay is restarting; reconnect.');
    this.sessions.clear();
    this.wss.close();
  }

  private attach(installId: string, ws: WebSocket): void {
    const previous = this.sessions.get(installId);
    if (previous) previous.close('replaced', 'A newer connection of this install took over.');
    const session = new Session(installId, ws, this.log, this.installs, this.metrics, this.opts, this.now());
    this.sessions.set(installId, session);
    this.logger.info('install connected', { installId, connected: this.sessions.size });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return session.close('bad_frame', 'Frames are JSON text.');
      session.receive(data.toString(), this.now());
    });
    ws.on('close', () => {
      if (this.sessions.get(installId) === session) this.sessions.delete(installId);
      this.installs.flushAcks();
      this.logger.info('install disconnected', { installId, connected: this.sessions.size });
    });
    ws.on('error', () => ws.terminate());
  }

  private heartbeat(): void {
    const now = this.now();
    for (const s of this.sessions.values()) {
      if (now - s.lastHeardAt > this.opts.heartbeatMs * 2.5) {
        this.logger.info('install silent, terminating', { installId: s.installId });
        s.terminate();
      } else {
        s.send({ type: 'ping', t: now });
      }
    }
  }
}
