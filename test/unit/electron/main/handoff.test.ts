// Copy link / Email the link in the desktop app: main's clipboard and shell, reporting whether it happened.
import { describe, expect, it } from 'vitest';
import { electronHandoff } from '../../../../electron/main/adapters/handoff';

function fakeClipboard(o: { broken?: boolean; other?: string } = {}) {
  let text = '';
  return {
    writeText: (t: string) => {
      if (o.broken) throw new Error('no display');
      text = t;
    },
    readText: () => o.other ?? text,
  };
}

describe('electronHandoff', () => {
  const shellOk = { openExternal: async () => undefined };

  it('copies and confirms by reading it back', () => {
    expect(electronHandoff(fakeClipboard(), shellOk).copy('https://pay.test/x')).toBe(true);
  });

  it('says no when the clipboard did not take it (another app kept it, or no clipboard)', () => {
    expect(electronHandoff(fakeClipboard({ other: 'something else' }), shellOk).copy('x')).toBe(false);
    const logs: string[] = [];
    expect(electronHandoff(fakeClipboard({ broken: true }), shellOk, (m) => logs.push(m)).copy('x')).toBe(
      false,
    );
    expect(logs[0]).toContain('no display');
  });

  it('hands mailto:/sms: links to the OS, and says no when no app takes them', async () => {
    const opened: string[] = [];
    const h = electronHandoff(fakeClipboard(), { openExternal: async (u: string) => void opened.push(u) });
    expect(await h.openExternal('mailto:a@b.test?body=x')).toBe(true);
    expect(opened).toEqual(['mailto:a@b.test?body=x']);
    const none = electronHandoff(fakeClipboard(), {
      openExternal: async () => Promise.reject(new Error('no handler')),
    });
    expect(await none.openExternal('sms:+15550100000?body=x')).toBe(false);
  });

  it('never opens anything but a mail, messages, phone or https link', async () => {
    const opened: string[] = [];
    const h = electronHandoff(fakeClipboard(), { openExternal: async (u: string) => void opened.push(u) });
    expect(await h.openExternal('file:///etc/passwd')).toBe(false);
    expect(await h.openExternal('javascript:alert(1)')).toBe(false);
    expect(opened).toEqual([]);
  });
});
