import type { AssetKind } from '../shared/relay-protocol';
import type { RelayDb } from './db';

const key = (kind: string, assetId: string) => `${kind}:${assetId}`;

/**
 * Which installs receive which assets' events. Kept in memory (read for every stored event inside
 * the ingest transaction) and in SQLite (the source of truth on restart).
 */
export class BindingIndex {
  private readonly byAsset = new Map<string, Set<string>>();
  private readonly byUser = new Map<string, Set<string>>();
  /** `installId|kind:assetId` → the user whose token proved it. */
  private readonly userOf = new Map<string, string | null>();

  constructor(private readonly db: RelayDb) {
    const rows = db.prepare('SELECT install_id, kind, asset_id, user_id FROM bindings').all() as {
      install_id: string;
      kind: string;
      asset_id: string;
      user_id: string | null;
    }[];
    for (const r of rows) this.remember(r.install_id, r.kind, r.asset_id, r.user_id);
  }

  /** Installs bound to any of `routeIds` of this kind (WhatsApp: WABA id or phone number id). */
  installsFor(kind: string, routeIds: string[]): Set<string> {
    const out = new Set<string>();
    for (const id of routeIds) for (const i of this.byAsset.get(key(kind, id)) ?? []) out.add(i);
    return out;
  }

  /** Installs holding a binding proved with this Meta user's token (permissions events). */
  installsForUser(userId: string): Set<string> {
    return new Set(this.byUser.get(userId) ?? []);
  }

  bind(installId: string, kind: AssetKind, assetId: string, userId: string | null, now: number): void {
    this.db
      .prepare(
        `INSERT INTO bindings (install_id, kind, asset_id, user_id, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (install_id, kind, asset_id) DO UPDATE SET user_id = excluded.user_id`,
      )
      .run(installId, kind, assetId, userId, now);
    this.forgetOne(installId, kind, assetId);
    this.remember(installId, kind, assetId, userId);
  }

  unbind(installId: string, kind: AssetKind, assetId: string): boolean {
    const res = this.db
      .prepare('DELETE FROM bindings WHERE install_id = ? AND kind = ? AND asset_id = ?')
      .run(installId, kind, assetId);
    this.forgetOne(installId, kind, assetId);
    return res.changes > 0;
  }

  /** Deauthorisation: the commit worker deleted these rows; drop them from memory too. */
  forget(rows: { install_id: string; kind: string; asset_id: string }[]): void {
    for (const r of rows) this.forgetOne(r.install_id, r.kind, r.asset_id);
  }

  count(): number {
    let n = 0;
    for (const s of this.byAsset.values()) n += s.size;
    return n;
  }

  private remember(installId: string, kind: string, assetId: string, userId: string | null): void {
    const k = key(kind, assetId);
    if (!this.byAsset.has(k)) this.byAsset.set(k, new Set());
    this.byAsset.get(k)!.add(installId);
    if (userId) {
      if (!this.byUser.has(userId)) this.byUser.set(userId, new Set());
      this.byUser.get(userId)!.add(installId);
    }
    this.userOf.set(`${installId}|${k}`, userId);
  }

  private forgetOne(installId: string, kind: string, assetId: string): void {
    const k = key(kind, assetId);
    this.byAsset.get(k)?.delete(installId);
    if (this.byAsset.get(k)?.size === 0) this.byAsset.delete(k);
    const userId = this.userOf.get(`${installId}|${k}`);
    this.userOf.delete(`${installId}|${k}`);
    if (userId) {
      // The user may still back other bindings of this install; recompute from what remains.
      const stillBacked = [...this.userOf.entries()].some(([uk, u]) => u === userId && uk.startsWith(installId + '|'));
      if (!stillBacked) this.byUser.get(userId)?.delete(installId);
    }
  }
}
