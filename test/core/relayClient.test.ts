/**
 * The relay stream client against the real relay: bad entries never block the stream, a silent
 * socket is detected and replaced, a relay that forgot us gets a new registration (and our
 * bindings back), and a gap in the relay's log triggers a full reconciliation.
 */
import { createHmac } from 'node:crypto';
import keytar from 'keytar';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kvGet, kvKeys } from '../../main/core/store/kv';
import {
  appSecret,
  connectAndEnable,
  connectAndSync,
  leadRows,
  startStack,
  waitFor,
  type Stack,
} from './harness';

let stack: Stack | null = null;
afterEach(async () => {
  await stack?.close();
  stack = null;
});

async function postSigned(relayUrl: string, body: string): Promise<number> {
  const sig = createHmac('sha256', appSecret).update(body).digest('hex');
  const res = await fetch(`${relayUrl}/webhooks/meta`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${sig}` },
    body,
  });
  return res.status;
}

const cursorOf = (s: Stack) => Number(kvGet(s.desktop.core.db, kvKeys.relayCursor) ?? 0);

describe('relay stream client', () => {
  it('skips an entry it cannot store (logged without content), acks it, and carries on', async () => {
    stack = await startStack();
    const page = stack.sim.control.createPage({ subscribed: false });
    await connectAndEnable(stack);
    const before = cursorOf(stack);
    const bad = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: page.id,
          time: 1,
          changes: [{ field: 'leadgen', value: { secret_name: 'Do Not Log', leadgen_id: null } }],
        },
      ],
    });
    expect(await postSigned(stack.relay.url, bad)).toBe(200);
    await waitFor(() => cursorOf(stack!) > before, 'the cursor to pass the bad event');
    const rowsAfterBad = leadRows(stack.desktop.core).length;
    const lead = stack.sim.control.createLead({ pageId: page.id });
    await waitFor(
      () => leadRows(stack!.desktop.core).find((l) => l.id === lead.id && l.state === 'complete'),
      'the next lead',
    );
    expect(leadRows(stack.desktop.core).length).toBe(rowsAfterBad + 1);
    const log = readFileSync(join(stack.dataDir, 'logs', 'lead-inbox.log'), 'utf8');
    expect(log).toContain('entry rejected');
    expect(log).not.toContain('Do Not Log');
  });

  it('notices a silent connection, reconnects, and receives what arrived meanwhile', async () => {
    stack = await startStack({
      proxy: true,
      relayHeartbeatMs: 200,
      tuning: { relayHeartbeatMs: 200 },
    });
    const page = stack.sim.control.createPage({ subscribed: false });
    await connectAndEnable(stack);
    const first = (await stack.desktop.call('connection.status')).connectedSince!;
    stack.proxy!.blackhole();
    const attempts = stack.proxy!.accepted;
    const lead = stack.sim.control.createLead({ pageId: page.id });
    await waitFor(
      async () => (await stack!.desktop.call('connection.status')).state !== 'connected',
      'the dead socket to be noticed',
    );
    // A reconnect attempt into the still-dead line: its upgrade request is swallowed, and the client
    // must give up on it too, not wait on it long after the line is back.
    await waitFor(() => stack!.proxy!.accepted > attempts, 'a reconnect attempt while the line is dead');
    stack.proxy!.restore();
    await waitFor(async () => {
      const s = await stack!.desktop.call('connection.status');
      return s.state === 'connected' && s.connectedSince! > first;
    }, 'a new connection');
    await waitFor(
      () => leadRows(stack!.desktop.core).find((l) => l.id === lead.id && l.state === 'complete'),
      'the lead sent while the line was dead',
    );
  });

  it('registers again when the relay no longer accepts its token, and binds its pages again', async () => {
    stack = await startStack();
    const page = stack.sim.control.createPage({ subscribed: false });
    await connectAndEnable(stack);
    const oldId = kvGet(stack.desktop.core.db, kvKeys.installId);
    await stack.desktop.stop();
    // The relay's store was reset / the install revoked: our bearer is now unknown to it.
    await keytar.setPassword(stack.keychainService, 'relay:install', `${oldId}.${'A'.repeat(43)}`);
    const desktop = await stack.restartDesktop();
    await waitFor(
      async () => (await desktop.call('connection.status')).state === 'connected',
      'connected again',
    );
    expect(kvGet(desktop.core.db, kvKeys.installId)).not.toBe(oldId);
    await waitFor(
      async () => (await desktop.call('pages.list')).pages[0]?.bound,
      'the page bound to the new install',
    );
    const lead = stack.sim.control.createLead({ pageId: page.id });
    await waitFor(
      () => leadRows(desktop.core).find((l) => l.id === lead.id && l.state === 'complete'),
      'a live lead via the new install',
    );
  });

  it('a gap (events expired at the relay while offline) runs a full reconciliation that heals it', async () => {
    const relayWarnings: string[] = [];
    const log = {
      info: () => {},
      warn: (m: string) => void relayWarnings.push(m),
      error: () => {},
    };
    stack = await startStack({ relay: { retentionMs: 300, ackGraceMs: 100, log } });
    const page = stack.sim.control.createPage({ subscribed: false });
    const form = stack.sim.control.createForm({ pageId: page.id });
    await connectAndSync(stack);
    // One live lead first, so the desktop holds a relay cursor to resume from.
    const seen = stack.sim.control.createLead({ formId: form.id });
    await waitFor(
      () => leadRows(stack!.desktop.core).find((l) => l.id === seen.id && l.state === 'complete'),
      'a live lead',
    );
    await stack.desktop.stop();
    const missed = [1, 2].map(() => stack!.sim.control.createLead({ formId: form.id }).id);
    await stack.sim.webhooksIdle();
    // The relay drops them (past retention, never acked) before the desktop comes back.
    await waitFor(
      () => relayWarnings.includes('retention dropped unacked events'),
      'the relay to drop the unacked events',
    );
    const desktop = await stack.restartDesktop();
    await waitFor(
      () =>
        missed.every((id) => leadRows(desktop.core).find((l) => l.id === id)?.state === 'complete'),
      'the expired leads healed by sync',
    );
    expect(readFileSync(join(stack.dataDir, 'logs', 'lead-inbox.log'), 'utf8')).toContain(
      'relay reported a gap',
    );
  });
});
