import { describe, expect, it } from 'vitest';
import { HOUR, replyWindow } from '../../main/core/conversations/window';

const t0 = Date.parse('2026-11-20T10:00:00Z');
const tag = { humanAgentTag: true };

describe('reply windows (meta-platform.md §4, §5)', () => {
  it('Messenger: free text for 24 h, then the Human Agent tag up to 7 days, then nothing', () => {
    expect(replyWindow('messenger', t0, t0 + 23 * HOUR, tag)).toEqual({ state: 'open', expiresAt: t0 + 24 * HOUR, reason: null });
    expect(replyWindow('messenger', t0, t0 + 24 * HOUR, tag)).toMatchObject({ state: 'tag', expiresAt: t0 + 7 * 24 * HOUR });
    expect(replyWindow('messenger', t0, t0 + 7 * 24 * HOUR, tag)).toMatchObject({ state: 'closed', expiresAt: null, reason: expect.stringMatching(/7 days/) });
    expect(replyWindow('instagram', t0, t0 + 25 * HOUR, { humanAgentTag: false })).toMatchObject({ state: 'closed', reason: expect.stringMatching(/Human Agent tag is off/) });
    expect(replyWindow('messenger', null, t0, tag)).toMatchObject({ state: 'closed', reason: expect.stringMatching(/after this person writes/) });
  });

  it('WhatsApp: free text for 24 h, then approved templates only (also before the first message)', () => {
    expect(replyWindow('whatsapp', t0, t0 + HOUR, tag)).toEqual({ state: 'open', expiresAt: t0 + 24 * HOUR, reason: null });
    expect(replyWindow('whatsapp', t0, t0 + 24 * HOUR, tag)).toMatchObject({ state: 'template', reason: expect.stringMatching(/approved template/) });
    expect(replyWindow('whatsapp', null, t0, tag)).toMatchObject({ state: 'template', reason: expect.stringMatching(/not written/) });
  });
});
