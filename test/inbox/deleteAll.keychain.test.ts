/**
 * Settings → "Disconnect and delete data" against the whole core: simulator, relay, real keychain.
 * Run inside `bash .ci/with-keyring.sh npx vitest run test/inbox/deleteAll.keychain.test.ts`.
 */
import keytar from 'keytar';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectAndSync, leadRows, startStack, waitFor, type Stack } from '../core/harness';

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

const rowCounts = (s: Stack) => {
  const db = s.desktop.core.db;
  const tables = db
    // Tables the owner's data lives in; FTS shadow tables hold index structure, read via leads_fts.
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name != 'kv'
          AND name NOT IN ('leads_fts_data', 'leads_fts_idx', 'leads_fts_config', 'leads_fts_docsize', 'leads_fts_content')`,
    )
    .pluck()
    .all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]));
};

describe('data.deleteAll', () => {
  it('disconnects every account, leaves no token in the keychain and no row in any data table', async () => {
    stack = await startStack();
    stack.sim.control.createPage({ name: 'Owner Page', subscribed: false });
    await connectAndSync(stack);
    const { pages } = await stack.desktop.call('pages.list');
    const lead = stack.sim.control.createLead({ pageId: pages[0]!.id });
    await waitFor(() => leadRows(stack!.desktop.core).find((l) => l.id === lead.id && l.state === 'complete'), 'the lead');
    await stack.desktop.call('leads.tag', { ids: [lead.id], add: ['vip'], remove: [] });
    await stack.desktop.call('leads.setNotes', { id: lead.id, notes: 'call back Tuesday' });
    mkdirSync(join(stack.dataDir, 'media'), { recursive: true });
    writeFileSync(join(stack.dataDir, 'media', 'photo.jpg'), 'jpeg bytes');
    await stack.desktop.call('conversions.updateSettings', { datasetId: '1234567890' });
    await stack.desktop.call('conversions.setSystemToken', { token: 'capi-system-user-token' });
    const accountsBefore = (await keytar.findCredentials(stack.keychainService)).map((c) => c.account);
    expect(accountsBefore.some((a) => a.startsWith('user:'))).toBe(true);
    expect(accountsBefore).toContain('capi:1234567890');

    // Without the confirmation flag it is refused and nothing changes.
    await expect(stack.desktop.call('data.deleteAll', {} as never)).rejects.toThrow(/invalid_input/);
    expect(rowCounts(stack).leads).toBeGreaterThan(0);

    const res = await stack.desktop.call('data.deleteAll', { confirm: true });
    expect(res.leads).toBeGreaterThan(0);
    const left = Object.entries(rowCounts(stack)).filter(([, n]) => n > 0);
    expect(left).toEqual([]);
    // Only the relay installation credential (no Meta token) stays.
    expect((await keytar.findCredentials(stack.keychainService)).map((c) => c.account)).toEqual(['relay:install']);
    expect(existsSync(join(stack.dataDir, 'media'))).toBe(false);
    expect((await stack.desktop.call('leads.list', { query: 'call' })).rows).toEqual([]);
    const fts = stack.desktop.core.db;
    expect(fts.prepare(`SELECT count(*) FROM leads_fts_data WHERE length(block) > 64`).pluck().get()).toBe(0);
    expect((await stack.desktop.call('accounts.list')).accounts).toEqual([]);
    // The Conversions API dataset is disconnected too (its token left with the rest above).
    expect((await stack.desktop.call('conversions.getSettings')).settings.datasetId).toBeNull();
    expect((await stack.desktop.call('conversions.systemToken')).present).toBe(false);
  });
});
