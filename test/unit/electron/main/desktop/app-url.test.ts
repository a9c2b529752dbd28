// isAppUrl decides which page gets IPC and permissions; permissionDecision what that page may do.
import { describe, expect, it } from 'vitest';
import { appUrlMatcher } from '../../../../../electron/main/desktop/app-url';
import { APP_PAGE_PERMISSIONS, permissionDecision } from '../../../../../electron/main/desktop/permissions';

describe('appUrlMatcher (packaged: file://…/out/renderer/index.html)', () => {
  const isApp = appUrlMatcher('file:///opt/Merchant%20Console/resources/app.asar/out/renderer/index.html');

  it('accepts the renderer folder and what is in it', () => {
    expect(isApp('file:///opt/Merchant%20Console/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isApp('file:///opt/Merchant%20Console/resources/app.asar/out/renderer/index.html#/orders')).toBe(
      true,
    );
    expect(isApp('file:///opt/Merchant%20Console/resources/app.asar/out/renderer/assets/x.js')).toBe(true);
  });

  it('refuses a sibling folder, a climb out of the folder, other files and other schemes', () => {
    expect(isApp('file:///opt/Merchant%20Console/resources/app.asar/out/renderer-evil/index.html')).toBe(
      false,
    );
    expect(isApp('file:///opt/Merchant%20Console/resources/app.asar/out/renderer/../main/index.js')).toBe(
      false,
    );
    expect(isApp('file:///etc/passwd')).toBe(false);
    expect(isApp('https://bank.example/3ds')).toBe(false);
    expect(isApp('not a url')).toBe(false);
    expect(isApp('')).toBe(false);
  });
});

describe('appUrlMatcher (development: the dev server)', () => {
  const isApp = appUrlMatcher('http://localhost:5173/');

  it('accepts the dev server origin only', () => {
    expect(isApp('http://localhost:5173/')).toBe(true);
    expect(isApp('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(isApp('http://localhost:5174/')).toBe(false);
    expect(isApp('http://localhost:5173.evil.test/')).toBe(false);
    expect(isApp('https://localhost:5173/')).toBe(false);
    expect(isApp('http://user@evil.test/?http://localhost:5173/')).toBe(false);
  });

  it('a broken renderer URL matches nothing', () => {
    expect(appUrlMatcher('::')('http://localhost:5173/')).toBe(false);
  });
});

describe('permissionDecision', () => {
  const isApp = appUrlMatcher('file:///app/out/renderer/index.html');

  it('lets the app’s own page write the clipboard (Copy link), and nothing more', () => {
    expect(
      permissionDecision('clipboard-sanitized-write', 'file:///app/out/renderer/index.html', isApp),
    ).toBe(true);
    for (const p of ['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal', 'fileSystem'])
      expect(permissionDecision(p, 'file:///app/out/renderer/index.html', isApp), p).toBe(false);
    expect([...APP_PAGE_PERMISSIONS]).toEqual(['clipboard-sanitized-write']);
  });

  it('gives other pages nothing, the clipboard included', () => {
    expect(permissionDecision('clipboard-sanitized-write', 'https://hooks.stripe.com/3d_secure', isApp)).toBe(
      false,
    );
    expect(permissionDecision('clipboard-sanitized-write', undefined, isApp)).toBe(false);
  });
});
