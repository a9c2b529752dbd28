// clipboard:write and links:open: the desktop app's main does them (its clipboard, the OS's link handlers);
// in browser mode the page does (the bridge's shim answers them without reaching the core).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../../helpers/core-harness';

describe('clipboard:write and links:open', () => {
  let desktop: Harness;
  let browser: Harness;
  const copied: string[] = [];
  const opened: string[] = [];
  beforeAll(async () => {
    desktop = await startHarness({
      handoff: {
        copy: (t) => (copied.push(t), t !== 'refused'),
        openExternal: async (u) => (opened.push(u), u.startsWith('mailto:')),
      },
    });
    browser = await startHarness({ emulator: desktop.emulator });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await desktop?.close();
  });

  it('report what really happened', async () => {
    expect(await desktop.call('clipboard:write', { text: 'https://pay.test/x' }, 'staff')).toEqual({
      copied: true,
    });
    expect(await desktop.call('clipboard:write', { text: 'refused' }, 'staff')).toEqual({ copied: false });
    expect(await desktop.call('links:open', { url: 'mailto:a@b.test?body=x' }, 'staff')).toEqual({
      opened: true,
    });
    expect(await desktop.call('links:open', { url: 'sms:+15550100000' }, 'staff')).toEqual({ opened: false });
    expect(copied).toEqual(['https://pay.test/x', 'refused']);
    expect(opened).toEqual(['mailto:a@b.test?body=x', 'sms:+15550100000']);
  });

  it('refuse other links, empty text, and callers who are not signed in', async () => {
    expect(await desktop.raw('links:open', { url: 'file:///etc/passwd' }, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await desktop.raw('clipboard:write', { text: '' }, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await desktop.raw('clipboard:write', { text: 'x' }, 'nobody')).toMatchObject({ ok: false });
    expect(opened).not.toContain('file:///etc/passwd');
  });

  it('in browser mode the core has no clipboard: not_available (the page does it)', async () => {
    expect(await browser.raw('clipboard:write', { text: 'x' }, 'staff')).toMatchObject({
      ok: false,
      error: { code: 'not_available' },
    });
  });
});
