import WebSocket from 'ws';
import { serverFrame, type ClientFrame, type ServerFrame } from '../../../shared/relay-protocol';
import { backoffDelay, sleep } from '../graph/backoff';
import type { IngestRegistry } from '../ingest/registry';
import type { Clock, Logger } from '../ports';
import type { Db } from '../store/db';
import { kvGet, kvKeys, kvSet } from '../store/kv';
import { processEventFrame, storedCursor } from './processFrame';
import { RelayError, type RelayApi } from './relayApi';

export type StreamState = 'offline' | 'connecting' | 'connected';

export interface StreamStatus {
  state: StreamState;
  connectedSince: number | null;
  lastEventAt: number | null;
  backlog: number;
  /** Why we are not connected, for the UI (never a token). */
  lastError: string | null;
}

export interface RelayStreamDeps {
  db: Db;
  api: RelayApi;
  registry: IngestRegistry;
  log: Logger;
  clock: Clock;
  client: string;
  backoff: { baseMs: number; maxMs: number };
  /** Used until the relay's welcome says otherwise. */
  heartbeatMs?: number;
  onStatus?: (s: StreamStatus) => void;
  /** The relay no longer holds events after our cursor: run a full Graph reconciliation. */
  onGap?: () => void;
  /** Welcomed by the relay; `offlineMs` = time since the previous connection ended (null the first time). */
  onConnected?: (offlineMs: number | null) => void;
}

/**
 * The desktop end of `/v1/stream`: hello with the stored cursor, commit each event then ack it,
 * heartbeats with a deadline both ways (a silent socket is dead: terminate, reconnect), jittered
 * exponential backoff between attempts, re-registration inside the loop on 401.
 */
export class RelayStream {
  private status: StreamStatus = {
    state: 'offline',
    connectedSince: null,
    lastEventAt: null,
    backlog: 0,
    lastError: null,
  };
  private running = false;
  private socket: WebSocket | null = null;
  private wakeUp = new AbortController();
  private loop: Promise<void> | null = null;
  private lastConnectedAt: number | null = null;
  private mustReregister = false;
  /** When deliveredUntil was last written to the store. */
  private keptAt = 0;

  constructor(private readonly deps: RelayStreamDeps) {}

  get current(): StreamStatus {
    return { ...this.status };
  }

  /**
   * Until when every webhook the relay accepted has reached the store: now while connected with
   * nothing left to replay, else the last moment that was so, kept across restarts (null if this
   * install never got there, or no relay is configured: then nothing is on its way). What the
   * relay accepted after it may still come as a replay, so the Messenger history backfill leaves it
   * to the replay, which delivers it as news.
   */
  deliveredUntil(): number | null {
    if (!this.deps.api.configured()) return null;
    if (this.caughtUp()) return this.deps.clock.now();
    const kept = kvGet(this.deps.db, kvKeys.relayDeliveredUntil);
    return kept === null ? null : Number(kept);
  }

  private caughtUp(): boolean {
    return this.status.state === 'connected' && this.status.backlog === 0;
  }

  /**
   * Writes deliveredUntil down as `heardAt` (when the relay last spoke: a line that died silently
   * delivered nothing after that): on catching up, when the connection ends, and at most once a
   * minute between (so after a crash it is at most a minute old; older only leaves more to the
   * replay, never less).
   */
  private keepDeliveredUntil(force: boolean, heardAt: number): void {
    if (!this.caughtUp() || (!force && heardAt - this.keptAt < 60_000)) return;
    kvSet(this.deps.db, kvKeys.relayDeliveredUntil, String(heardAt));
    this.keptAt = heardAt;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp.abort();
    this.socket?.terminate();
    await this.loop;
    this.setStatus({ state: 'offline', connectedSince: null });
  }

  /** Drop the current connection and dial again (relay URL changed). */
  reconnect(): void {
    this.socket?.terminate();
    this.wakeUp.abort();
  }

  /** Skip the backoff wait (network came back, the computer woke, settings changed). */
  nudge(): void {
    this.wakeUp.abort();
    if (this.status.state === 'connected') this.socket?.ping();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (this.running) {
      if (!this.deps.api.configured()) {
        this.setStatus({ state: 'offline', lastError: 'No relay is configured.' });
        await this.pause(this.deps.backoff.maxMs);
        continue;
      }
      this.setStatus({ state: 'connecting' });
      const welcomed = await this.connectOnce().catch((e: unknown) => {
        this.setStatus({ lastError: describe(e) });
        return false;
      });
      this.setStatus({ state: 'offline', connectedSince: null });
      if (!this.running) break;
      attempt = welcomed ? 0 : attempt + 1;
      await this.pause(backoffDelay(attempt, this.deps.backoff));
    }
  }

  private async pause(ms: number): Promise<void> {
    if (!this.running) return;
    if (this.wakeUp.signal.aborted) this.wakeUp = new AbortController();
    await sleep(ms, this.wakeUp.signal);
    if (this.wakeUp.signal.aborted) this.wakeUp = new AbortController();
  }

  /** One connection's life. Resolves true if the relay welcomed us (resets the backoff). */
  private async connectOnce(): Promise<boolean> {
    const token = this.mustReregister
      ? await this.deps.api.reregister()
      : await this.deps.api.installToken();
    this.mustReregister = false;
    const url = this.deps.api.baseUrl().replace(/^http/, 'ws') + '/v1/stream';
    if (!this.running) return false;
    let heartbeatMs = this.deps.heartbeatMs ?? 15_000;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${token}` },
      // An upgrade request the network swallowed (a half-dead link) never gets an answer: give up
      // on it as the heartbeat would on a silent socket, not after a fixed 10 s wait.
      handshakeTimeout: Math.min(10_000, Math.max(1_000, heartbeatMs * 5)),
    });
    this.socket = ws;
    let welcomed = false;
    let lastHeard = this.deps.clock.now();
    let beat: NodeJS.Timeout | null = null;

    const send = (f: ClientFrame) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(f));
    };

    return new Promise<boolean>((resolve, reject) => {
      ws.on('unexpected-response', (_req, res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        ws.terminate();
        if (status === 401) {
          // The relay does not know this install (its store was reset, or the token was revoked).
          this.deps.log.warn('relay refused our install token; registering again');
          this.deps.api.reregister().then(
            () =>
              reject(
                new RelayError(401, 'The relay did not recognise this install; registered again.'),
              ),
            (e: unknown) => reject(e instanceof Error ? e : new Error(String(e))),
          );
        } else {
          reject(new RelayError(status, `The relay refused the connection (HTTP ${status}).`));
        }
      });
      ws.on('open', () => {
        send({ type: 'hello', cursor: storedCursor(this.deps.db), client: this.deps.client });
        beat = setInterval(
          () => {
            if (this.deps.clock.now() - lastHeard > heartbeatMs * 2.5) {
              this.deps.log.warn('relay went silent; reconnecting', {
                silentMs: this.deps.clock.now() - lastHeard,
              });
              ws.terminate();
              return;
            }
            send({ type: 'ping', t: this.deps.clock.now() });
            this.keepDeliveredUntil(false, lastHeard);
          },
          Math.max(50, Math.floor(heartbeatMs / 2)),
        );
      });
      ws.on('pong', () => (lastHeard = this.deps.clock.now()));
      ws.on('message', (data) => {
        lastHeard = this.deps.clock.now();
        let frame: ServerFrame;
        try {
          frame = serverFrame.parse(JSON.parse(String(data)));
        } catch {
          this.deps.log.warn('relay sent a frame we cannot read; ignored');
          return;
        }
        try {
          this.onFrame(frame, send, (ms) => (heartbeatMs = ms));
          if (frame.type === 'welcome') welcomed = true;
        } catch (e) {
          // Not committed, so not acked: close and let the relay deliver it again after backoff.
          this.deps.log.error('committing a relay event failed; reconnecting', {
            error: describe(e),
          });
          ws.terminate();
        }
      });
      ws.on('error', (e) => this.setStatus({ lastError: describe(e) }));
      ws.on('close', () => {
        if (beat) clearInterval(beat);
        if (this.deps.db.open) this.keepDeliveredUntil(true, lastHeard);
        if (welcomed) this.lastConnectedAt = this.deps.clock.now();
        this.socket = null;
        resolve(welcomed);
      });
    });
  }

  private onFrame(
    frame: ServerFrame,
    send: (f: ClientFrame) => void,
    setHeartbeat: (ms: number) => void,
  ): void {
    const now = this.deps.clock.now();
    switch (frame.type) {
      case 'welcome': {
        setHeartbeat(frame.heartbeatMs);
        const offlineMs = this.lastConnectedAt === null ? null : now - this.lastConnectedAt;
        this.setStatus({
          state: 'connected',
          connectedSince: now,
          backlog: frame.backlog,
          lastError: null,
        });
        this.lastConnectedAt = now;
        this.keepDeliveredUntil(true, now);
        this.deps.onConnected?.(offlineMs);
        return;
      }
      case 'event': {
        const after = processEventFrame(this.deps.db, this.deps.registry, frame, this.deps.log);
        send({ type: 'ack', seq: frame.seq });
        // Waking the fetch worker comes first: it is what the owner waits for.
        for (const fn of after) {
          try {
            fn();
          } catch (e) {
            this.deps.log.error('after-commit step failed', { error: describe(e) });
          }
        }
        // Per-event bookkeeping is read on demand (status()), not announced: onStatus recomputes
        // the overall state from SQLite, which an event never changes, and did so for every frame.
        const replaying = this.status.backlog > 0;
        this.status = {
          ...this.status,
          lastEventAt: now,
          backlog: Math.max(0, this.status.backlog - 1),
        };
        this.keepDeliveredUntil(replaying, now); // the replay's last event: caught up from now on
        return;
      }
      case 'gap':
        this.deps.log.warn('relay reported a gap; running a full reconciliation', {
          dropped: frame.dropped,
        });
        this.deps.onGap?.();
        return;
      case 'error':
        this.deps.log.warn('relay error frame', { code: frame.code });
        // An expired session just reconnects (the token is checked again at the upgrade, where a
        // 401 re-registers); an explicit 'unauthorized' means the relay dropped us: register again.
        if (frame.code === 'unauthorized') this.mustReregister = true;
        this.socket?.close();
        return;
      case 'ping':
        send({ type: 'pong', t: frame.t });
        return;
      case 'pong':
        return;
    }
  }

  private setStatus(patch: Partial<StreamStatus>): void {
    this.status = { ...this.status, ...patch };
    this.deps.onStatus?.(this.current);
  }
}

function describe(e: unknown): string {
  if (e instanceof RelayError) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 200);
  return String(e).slice(0, 200);
}
