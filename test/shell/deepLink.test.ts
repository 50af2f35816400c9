import { describe, expect, it } from 'vitest';
import {
  findDeepLinkArg,
  parseDeepLink,
  parseRoute,
  routeToString,
} from '../../main/electron/pure/deepLink';

describe('parseDeepLink', () => {
  it('opens a lead or a thread', () => {
    expect(parseDeepLink('leadinbox://lead/1234567890')).toEqual({
      ok: true,
      value: { kind: 'lead', id: '1234567890' },
    });
    expect(parseDeepLink('leadinbox://thread/t_10223')).toEqual({
      ok: true,
      value: { kind: 'thread', id: 't_10223' },
    });
  });

  it('tolerates the trailing slash Windows adds and an upper-case target', () => {
    expect(parseDeepLink('leadinbox://LEAD/42/')).toEqual({
      ok: true,
      value: { kind: 'lead', id: '42' },
    });
  });

  it('decodes percent-encoded ids but still checks them', () => {
    expect(parseDeepLink('leadinbox://thread/wamid.HBgL%3D%3D')).toEqual({
      ok: true,
      value: { kind: 'thread', id: 'wamid.HBgL==' },
    });
    expect(parseDeepLink('leadinbox://lead/%2E%2E%2Fsettings').ok).toBe(false);
    expect(parseDeepLink('leadinbox://lead/%E0%A4%A').ok).toBe(false);
  });

  it('carries the OAuth callback parameters', () => {
    const r = parseDeepLink('leadinbox://oauth/callback?code=AQB9&state=s-123');
    expect(r).toEqual({
      ok: true,
      value: { kind: 'oauth', params: { code: 'AQB9', state: 's-123' } },
    });
    const denied = parseDeepLink(
      'leadinbox://oauth/callback?error=access_denied&error_reason=user_denied&state=s',
    );
    expect(denied.ok && denied.value.kind === 'oauth' && denied.value.params.error).toBe(
      'access_denied',
    );
  });

  it.each([
    ['https://lead/1', 'wrong scheme'],
    ['javascript:alert(1)', 'wrong scheme'],
    ['leadinbox://settings', 'unknown link target'],
    ['leadinbox://lead/1/extra', 'bad lead id'],
    ['leadinbox://lead/', 'bad lead id'],
    ['leadinbox://lead/1?x=1', 'query or fragment'],
    ['leadinbox://lead/1#top', 'query or fragment'],
    ['leadinbox://user:pw@lead/1', 'credentials'],
    ['leadinbox://lead:99/1', 'credentials or port'],
    ['leadinbox://oauth/other?state=s&code=c', 'unknown oauth path'],
    ['leadinbox://oauth/callback?code=c', 'without state'],
    ['leadinbox://oauth/callback?state=s', 'exactly one of code or error'],
    ['leadinbox://oauth/callback?state=s&code=c&error=x', 'exactly one of code or error'],
    [
      'leadinbox://oauth/callback?state=s&code=c&redirect=https://evil',
      'unexpected oauth parameter',
    ],
    ['leadinbox://oauth/callback?state=s&state=t&code=c', 'repeated oauth parameter'],
    ['not a url', 'not a URL'],
  ])('rejects %s (%s)', (link, reason) => {
    const r = parseDeepLink(link);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(reason);
  });

  it('rejects non-strings and absurdly long links', () => {
    expect(parseDeepLink(42).ok).toBe(false);
    expect(parseDeepLink(`leadinbox://lead/${'1'.repeat(5000)}`)).toEqual({
      ok: false,
      reason: 'link too long',
    });
  });
});

describe('routes', () => {
  it('round-trips the routes notifications and menus use', () => {
    for (const route of ['lead/123', 'thread/t_9', 'settings']) {
      const r = parseRoute(route);
      expect(r.ok && routeToString(r.value)).toBe(route);
    }
  });

  it('rejects unknown and malformed routes', () => {
    for (const route of [
      'lead',
      'lead/',
      'lead/a/b',
      'admin/1',
      '../lead/1',
      'lead/<script>',
      '',
    ]) {
      expect(parseRoute(route).ok, route).toBe(false);
    }
  });
});

describe('findDeepLinkArg', () => {
  it('finds the link among the arguments a second launch was given', () => {
    const argv = ['/opt/Lead Inbox/lead-inbox', '--no-sandbox', 'leadinbox://lead/77'];
    expect(findDeepLinkArg(argv)).toBe('leadinbox://lead/77');
    expect(findDeepLinkArg(['/usr/bin/electron', 'dist/electron/main.cjs'])).toBeNull();
  });
});
