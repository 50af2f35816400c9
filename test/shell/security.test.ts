import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  configuredOrigins,
  isAllowedExternalUrl,
  isPermissionAllowed,
  rendererCsp,
  secureWebPreferences,
  withCspHeader,
} from '../../main/electron/pure/security';

describe('external links (the OAuth hand-off goes to the system browser)', () => {
  it('opens Facebook login and Meta help pages over https', () => {
    expect(
      isAllowedExternalUrl('https://www.facebook.com/v25.0/dialog/oauth?client_id=1&state=s'),
    ).toBe(true);
    expect(isAllowedExternalUrl('https://facebook.com/business/help')).toBe(true);
    expect(isAllowedExternalUrl('https://business.facebook.com/latest/inbox')).toBe(true);
  });

  it.each([
    'http://www.facebook.com/dialog/oauth',
    'https://facebook.com.evil.example/dialog',
    'https://evilfacebook.com/',
    'https://user:pw@www.facebook.com/',
    'https://www.facebook.com:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'leadinbox://lead/1',
    'smb://server/share',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('also allows configured origins: https ones, and http only on loopback (development)', () => {
    const extra = configuredOrigins([
      'https://relay.leadinbox.example/',
      'http://127.0.0.1:8080/dialog',
      'http://relay.example/',
      null,
      'nonsense',
    ]);
    expect(extra).toEqual(['https://relay.leadinbox.example', 'http://127.0.0.1:8080']);
    expect(isAllowedExternalUrl('https://relay.leadinbox.example/oauth/start?x=1', extra)).toBe(
      true,
    );
    expect(isAllowedExternalUrl('http://127.0.0.1:8080/v25.0/dialog/oauth', extra)).toBe(true);
    expect(isAllowedExternalUrl('https://relay.other.example/oauth/start', extra)).toBe(false);
    expect(isAllowedExternalUrl('http://127.0.0.1:9999/', extra)).toBe(false);
  });
});

describe('permissions', () => {
  it('grants notifications and clipboard writes, nothing else', () => {
    expect(isPermissionAllowed('notifications')).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of [
      'media',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'hid',
      'serial',
    ]) {
      expect(isPermissionAllowed(p), p).toBe(false);
    }
  });
});

describe('content security policy', () => {
  it('allows no eval, no inline or remote script, no plugins, no framing', () => {
    const directives = Object.fromEntries(
      rendererCsp.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(rendererCsp).not.toContain('unsafe-eval');
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
  });

  it('replaces any CSP a response brings and keeps the other headers', () => {
    const out = withCspHeader({
      'content-security-policy': ['default-src *'],
      'Content-Type': 'text/html',
    });
    expect(out).toEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': [rendererCsp],
    });
  });
});

describe('webPreferences', () => {
  it('isolates and sandboxes the renderer with Node kept out', () => {
    const prefs = secureWebPreferences('/app/dist/electron/preload.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('main/electron/pure', () => {
  it('never imports electron at runtime, so all of it runs under Node', () => {
    const dir = join(__dirname, '../../main/electron/pure');
    for (const file of readdirSync(dir)) {
      const source = readFileSync(join(dir, file), 'utf8');
      const valueImports = source.match(/^import\s+(?!type\b)[^;]*from\s+'electron'/gm) ?? [];
      expect(valueImports, file).toEqual([]);
      expect(source, file).not.toMatch(/require\(['"]electron['"]\)/);
    }
  });
});
