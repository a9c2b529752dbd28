// The console's window never navigates away: links meant for another app (the secure payment link in a mail or
// a text, a phone number, a carrier's tracking page) are handed to the OS; anything else is refused.
import { describe, expect, it, vi } from 'vitest';
import { isExternalLink, lockDownWindow } from '../../../../electron/main/security';
import type { BrowserWindow } from 'electron';

function fakeWindow() {
  const handlers: Record<string, (e: { preventDefault(): void }, url: string) => void> = {};
  let open: ((d: { url: string }) => { action: string }) | null = null;
  const win = {
    webContents: {
      on: (name: string, fn: (e: { preventDefault(): void }, url: string) => void) => (handlers[name] = fn),
      setWindowOpenHandler: (fn: (d: { url: string }) => { action: string }) => (open = fn),
    },
  } as unknown as BrowserWindow;
  return {
    win,
    navigate: (url: string) => {
      const e = {
        prevented: false,
        preventDefault() {
          this.prevented = true;
        },
      };
      handlers['will-navigate']!(e, url);
      return e.prevented;
    },
    open: (url: string) => open!({ url }),
  };
}

describe('links out of the console', () => {
  it('knows which links are for another app', () => {
    for (const url of [
      'mailto:ann%40example.com?subject=Confirm&body=https%3A%2F%2Fx',
      'sms:+15550101234?body=hi',
      'tel:+15550101234',
      'https://www.ups.com/track?tracknum=1Z999',
    ])
      expect(isExternalLink(url), url).toBe(true);
    for (const url of [
      'file:///etc/passwd',
      'http://example.com',
      'javascript:alert(1)',
      'https://localhost/x',
      'nonsense',
    ])
      expect(isExternalLink(url), url).toBe(false);
  });

  it('hands mail, text, phone and tracking links to the OS, never opens a window, and refuses the rest', () => {
    const openExternal = vi.fn();
    const w = fakeWindow();
    lockDownWindow(w.win, (url) => url.startsWith('file:///app/'), openExternal);
    expect(w.navigate('file:///app/index.html')).toBe(false);
    expect(w.navigate('mailto:ann%40example.com')).toBe(true);
    expect(w.open('https://www.ups.com/track?tracknum=1Z999')).toEqual({ action: 'deny' });
    expect(w.navigate('javascript:alert(1)')).toBe(true);
    expect(w.open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls.map((c) => c[0])).toEqual([
      'mailto:ann%40example.com',
      'https://www.ups.com/track?tracknum=1Z999',
    ]);
  });
});
