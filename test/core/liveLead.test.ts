import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectAndEnable, startStack, waitFor, type Stack } from './harness';

describe('a lead submitted on Facebook reaches the desktop store (sim → relay → core)', () => {
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack();
  });
  afterEach(async () => {
    await stack.close();
  });

  it('stores the lead once, complete with its fields, and asks for a notification', async () => {
    const page = stack.sim.control.createPage({ name: 'Bakery Berlin', subscribed: false });
    const form = stack.sim.control.createForm({
      pageId: page.id,
      name: 'Cake orders',
      locale: 'de_DE',
    });
    await connectAndEnable(stack);
    // Enabling subscribed the app to the page's webhooks, so Meta (the simulator) now delivers.
    const lead = stack.sim.control.createLead({
      formId: form.id,
      fieldData: [
        { name: 'full_name', values: ['Jana Müller'] },
        { name: 'email', values: ['Jana.Mueller@Example.de'] },
        { name: 'phone_number', values: ['030 1234567'] },
      ],
    });

    // Read the SQLite file itself, as another process would.
    const file = new Database(join(stack.dataDir, 'lead-inbox.sqlite'), { readonly: true });
    try {
      const row = await waitFor(
        () =>
          file.prepare(`SELECT * FROM leads WHERE id = ? AND state = 'complete'`).get(lead.id) as
            Record<string, unknown> | undefined,
        'the lead to be complete in SQLite',
      );
      expect(row.full_name).toBe('Jana Müller');
      expect(row.email).toBe('jana.mueller@example.de');
      expect(row.phone).toBe('+49301234567');
      expect(row.page_id).toBe(page.id);
      expect(row.form_id).toBe(form.id);
      expect(
        (file.prepare('SELECT count(*) AS n FROM leads WHERE id = ?').get(lead.id) as { n: number })
          .n,
      ).toBe(1);
    } finally {
      file.close();
    }
    const n = await waitFor(
      () => stack.desktop.notifications.find((x) => x.route === `lead/${lead.id}`),
      'a notification',
    );
    expect(n.title).toBe('New lead: Jana Müller');
    const status = await stack.desktop.call('connection.status');
    expect(status.state).toBe('connected');
    expect(status.facebookConnected).toBe(true);
  });
});
