import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMediaCache } from '../../main/core/conversations/media';
import { GraphClient } from '../../main/core/graph/client';
import { createSimLink, type SimLink } from './simLink';

describe('media', () => {
  let link: SimLink;
  let phoneId: string;
  beforeEach(async () => {
    link = await createSimLink();
    phoneId = await link.connectWhatsApp();
  });
  afterEach(() => link.close());

  it('a WhatsApp photo is fetched with the token once, cached on disk and handed over as bytes, never a URL', async () => {
    link.sim.control.whatsappInbound({ phoneNumberId: phoneId, type: 'image', text: 'the room' });
    await link.pump();
    const threadId = (await link.h.call('threads.list', {})).threads[0]!.id;
    const msg = (await link.h.call('threads.get', { threadId })).messages[0]!;
    expect(msg.attachments[0]).toMatchObject({ type: 'image', hasMedia: true, caption: 'the room' });
    const first = await link.h.call('threads.media', { messageId: msg.id, index: 0 });
    expect(first.dataUrl).toMatch(/^data:image\/(jpeg|png);base64,iVBORw0KGgo/);
    expect(first.dataUrl).not.toContain('http');
    const lookups = () => link.sim.control.calls().filter((c) => c.path.startsWith('107')).length;
    const before = lookups();
    const again = await link.h.call('threads.media', { messageId: msg.id, index: 0 });
    expect(again.dataUrl).toBe(first.dataUrl);
    expect(lookups()).toBe(before); // served from <dataDir>/media
    expect(readdirSync(join(link.h.dir, 'media'))).toHaveLength(1);
    await expect(link.h.call('threads.media', { messageId: msg.id, index: 3 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps the cache under its size cap, evicting the least recently used file', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      link.sim.control.whatsappInbound({ phoneNumberId: phoneId, type: 'image', from: '4915100000001' });
    }
    await link.pump();
    const threadId = (await link.h.call('threads.list', {})).threads[0]!.id;
    for (const m of (await link.h.call('threads.get', { threadId })).messages) ids.push(m.id);
    const size = (await link.h.call('threads.media', { messageId: ids[0]!, index: 0 })).size;
    // A second cache over the same folder with room for two files.
    const small = createMediaCache({
      db: link.h.db,
      graph: new GraphClient({ baseUrl: link.sim.url, version: 'v25.0' }),
      tokens: link.h.tokens,
      clock: link.h.clock,
      dir: join(link.h.dir, 'media'),
      capBytes: size * 2,
    });
    link.h.clock.t += 1;
    await small.get(Number(ids[1]), 0);
    await small.get(Number(ids[2]), 0);
    const keys = (link.h.db.prepare('SELECT key FROM media_cache ORDER BY key').all() as { key: string }[]).map((r) => r.key);
    expect(keys).toEqual([`${ids[1]}-0`, `${ids[2]}-0`]);
    expect(readdirSync(join(link.h.dir, 'media')).sort()).toEqual([`${ids[1]}-0.bin`, `${ids[2]}-0.bin`]);
  });
});
