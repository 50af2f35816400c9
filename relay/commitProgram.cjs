// The ingest transaction, in plain CommonJS so the same code runs inside the commit worker and on
// a test's own connection (an eval'd worker cannot load TypeScript, and esbuild's keepNames output cannot
// be stringified). Called with an open better-sqlite3 handle; returns commit(batch) → unbound rows.
// Batch shape: relay/commitWorker.ts (CommitBatch).
/* global module */
'use strict';

module.exports = function makeCommit(db) {
  const insertEvent = db.prepare('INSERT INTO events (received_at, object, kind, asset_id, raw) VALUES (?, ?, ?, ?, ?)');
  const insertDelivery = db.prepare('INSERT INTO deliveries (install_id, seq, event_id) VALUES (?, ?, ?)');
  const updateHead = db.prepare('UPDATE installs SET head_seq = ? WHERE id = ? AND head_seq < ?');
  const unbindUser = db.prepare('DELETE FROM bindings WHERE user_id = ? RETURNING install_id, kind, asset_id');
  return db.transaction((batch) => {
    const unbound = [];
    for (const ev of batch.events) {
      const id = insertEvent.run(ev.receivedAt, ev.object, ev.kind, ev.assetId, ev.raw).lastInsertRowid;
      for (const [installId, seq] of ev.targets) insertDelivery.run(installId, seq, id);
      if (ev.unbindUser) unbound.push(...unbindUser.all(ev.unbindUser));
    }
    for (const [installId, seq] of batch.heads) updateHead.run(seq, installId, seq);
    return unbound;
  });
};
