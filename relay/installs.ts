import { createHash, randomBytes } from 'node:crypto';
import type { RelayDb } from './db';
import { constantTimeEqual } from './verify';

interface InstallState {
  tokenHash: string;
  headSeq: number;
  ackedSeq: number;
}

/**
 * Registered desktop installs: their hashed secret, the head of their delivery log and how far
 * they have acked. Heads and acks live in memory (read on every frame) and in SQLite. Acks are
 * written lazily: losing the last acks in a crash only means redelivery, which the desktop's
 * idempotent writes absorb, whereas an fsync per ack would halve replay speed.
 */
export class InstallRegistry {
  private readonly byId = new Map<string, InstallState>();
  private readonly dirtyAcks = new Set<string>();

  private readonly writeAcks: () => void;

  constructor(private readonly db: RelayDb) {
    const updateAck = db.prepare('UPDATE installs SET acked_seq = ? WHERE id = ? AND acked_seq < ?');
    this.writeAcks = db.transaction(() => {
      for (const id of this.dirtyAcks) {
        const acked = this.byId.get(id)?.ackedSeq ?? 0;
        updateAck.run(acked, id, acked);
      }
    });
    const rows = db.prepare('SELECT id, token_hash, head_seq, acked_seq FROM installs').all() as {
      id: string;
      token_hash: string;
      head_seq: number;
      acked_seq: number;
    }[];
    for (const r of rows) this.byId.set(r.id, { tokenHash: r.token_hash, headSeq: r.head_seq, ackedSeq: r.acked_seq });
  }

  /**
   * The returned token is the whole bearer credential, `<installId>.<secret>`, so a client sends
   * `Authorization: Bearer <token>` without assembling anything.
   */
  create(now: number): { installId: string; token: string } {
    const installId = 'in_' + randomBytes(12).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const tokenHash = hashToken(secret);
    this.db.prepare('INSERT INTO installs (id, token_hash, created_at) VALUES (?, ?, ?)').run(installId, tokenHash, now);
    this.byId.set(installId, { tokenHash, headSeq: 0, ackedSeq: 0 });
    return { installId, token: `${installId}.${secret}` };
  }

  /**
   * `Authorization: Bearer <installId>.<secret>` (= `Bearer <token>`) → installId, or null when
   * unknown or wrong. `Bearer <installId>.<token>` (the id written twice) is accepted as well.
   */
  authenticate(authorization: string | undefined): string | null {
    const m = /^Bearer\s+(in_[A-Za-z0-9_-]{1,64})\.(?:\1\.)?([A-Za-z0-9_-]{1,128})$/.exec(authorization ?? '');
    if (!m) return null;
    const state = this.byId.get(m[1]!);
    const given = hashToken(m[2]!);
    // Compare against a dummy hash for unknown ids so timing does not reveal which ids exist.
    const ok = constantTimeEqual(given, state?.tokenHash ?? hashToken(''));
    return ok && state ? m[1]! : null;
  }

  has(installId: string): boolean {
    return this.byId.has(installId);
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  head(installId: string): number {
    return this.byId.get(installId)?.headSeq ?? 0;
  }

  /** Called after the transaction that assigned these seqs committed. */
  setHead(installId: string, seq: number): void {
    const s = this.byId.get(installId);
    if (s && seq > s.headSeq) s.headSeq = seq;
  }

  /** Heads as committed on disk (after a failed commit whose outcome is unknown). */
  reloadHeads(): void {
    const rows = this.db.prepare('SELECT id, head_seq FROM installs').all() as { id: string; head_seq: number }[];
    for (const r of rows) {
      const s = this.byId.get(r.id);
      if (s) s.headSeq = r.head_seq;
    }
  }

  acked(installId: string): number {
    return this.byId.get(installId)?.ackedSeq ?? 0;
  }

  ack(installId: string, seq: number): void {
    const s = this.byId.get(installId);
    if (!s || seq <= s.ackedSeq) return;
    s.ackedSeq = Math.min(seq, s.headSeq);
    this.dirtyAcks.add(installId);
  }

  /**
   * Persists acks received since the last flush (timer, disconnect and shutdown). Without an
   * fsync: this runs on the event loop every second while installs stream, and an fsync there
   * stalls every socket for milliseconds (tens on a busy disk) to protect data whose loss only
   * means redelivery. The rows still reach disk with the next synchronous commit, and survive
   * kill -9 at once (WAL frames are in the OS cache).
   */
  flushAcks(): void {
    if (this.dirtyAcks.size === 0) return;
    this.db.pragma('synchronous = NORMAL');
    try {
      this.writeAcks();
    } finally {
      this.db.pragma('synchronous = FULL');
    }
    this.dirtyAcks.clear();
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
