// How fetched leads are written: the upsert by Meta's lead id and the batched search indexing of a
// backfill group. Plain CommonJS so the very same code runs on the core's connection (the fetch
// worker's single leads, tests) and inside the backfill writer's worker thread, which is eval'd and
// cannot load TypeScript (store/leadGroupWriter.ts). The SQL comes from store/leadGroupProgram.ts,
// which explains each statement. Called with an open better-sqlite3 handle.
/* global module */
'use strict';

module.exports = function leadGroupProgram(db, sql) {
  const stateOf = db.prepare(sql.stateOf).pluck();
  const insert = db.prepare(sql.insert);
  const update = db.prepare(sql.update);
  // Prepared on first use: the upsert alone also runs on stores older than batched search (tests).
  let search = null;
  const searchStatements = () => {
    if (search) return search;
    search = {};
    for (const [name, text] of Object.entries(sql.search)) search[name] = db.prepare(text);
    search.maxRowid.pluck();
    search.insertTrigger.pluck();
    return search;
  };

  /**
   * row: [id, pageId, receivedAt, ...the fields both statements list]. A known lead is updated,
   * so what the owner did and when we first saw it stay. Returns what the write meant. The insert
   * comes first: in a backfill nearly every lead is new, and its lookup by id is then skipped.
   */
  function upsert(row) {
    // row[4] is created_time again, for the new lead's search doc id.
    if (insert.run(row, row[4]).changes === 1) return 'new';
    const before = stateOf.get(row[0]);
    update.run(...row.slice(3), row[0]);
    return before === 'complete' ? 'updated' : 'completed';
  }

  /**
   * Runs write() with the search insert trigger out of the way (dropped, and recreated from its
   * own text before the transaction ends), then indexes its new leads at once.
   */
  function withBatchedSearch(write) {
    if (!db.inTransaction) throw new Error('withBatchedLeadSearch runs inside a transaction');
    const s = searchStatements();
    const after = s.maxRowid.get();
    s.deferSearch.run(after);
    const insertTrigger = s.insertTrigger.get();
    if (insertTrigger) db.exec(sql.dropInsertTrigger);
    let result;
    try {
      result = write();
    } finally {
      // A statement that failed may have ended the transaction, and undone the drop with it.
      if (insertTrigger && db.inTransaction) db.exec(insertTrigger);
      s.resumeSearch.run();
    }
    s.giveDocs.run(after);
    s.indexText.run(after);
    return result;
  }

  const groups = db.transaction((list, yieldNow) =>
    withBatchedSearch(() => {
      const outcomes = [];
      for (const rows of list) {
        outcomes.push(rows.map(upsert));
        if (yieldNow && outcomes.length < list.length && yieldNow()) break;
      }
      return outcomes;
    }),
  );
  return {
    upsert,
    withBatchedSearch,
    /**
     * Backfill groups in one transaction, write lock taken first; each written group's rows'
     * outcomes, in order. Ends the transaction after the first group for which yieldNow() is true,
     * so the outcomes may cover only the first groups of the list.
     */
    writeGroups: (list, yieldNow) => groups.immediate(list, yieldNow),
  };
};
