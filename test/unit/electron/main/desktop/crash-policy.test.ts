// What a crash leads to: a reload with a notice, giving up after repeats, logs for other processes, a dialog
// for an uncaught exception, crash dumps kept locally unless the shop set an https upload URL.
import { describe, expect, it } from 'vitest';
import {
  CRASH_WINDOW_MS,
  MAX_RELOADS,
  childGoneDecision,
  crashReporterOptions,
  renderGoneDecision,
  uncaughtDialog,
} from '../../../../../electron/main/desktop/crash-policy';

describe('renderGoneDecision', () => {
  const now = 10 * CRASH_WINDOW_MS;

  it('a clean exit is the window closing: nothing to do', () => {
    expect(renderGoneDecision({ reason: 'clean-exit', exitCode: 0 }, [], now)).toEqual({ action: 'ignore' });
  });

  it('a crash reloads the window and says what happened and where the order is', () => {
    const d = renderGoneDecision({ reason: 'oom', exitCode: -1 }, [], now);
    expect(d.action).toBe('reload');
    if (d.action !== 'reload') return;
    expect(d.notice.body).toMatch(/^It ran out of memory\./);
    expect(d.notice.body).toContain('Unfinished orders');
    expect(d.log).toBe('renderer gone: oom, exit code -1; reloading the window');
  });

  it(`gives up after ${MAX_RELOADS} crashes within the window; older crashes don't count`, () => {
    const recent = [now - 1000, now - 2000, now - 3000];
    const d = renderGoneDecision({ reason: 'crashed', exitCode: 11 }, recent, now);
    expect(d.action).toBe('give-up');
    if (d.action === 'give-up') expect(d.dialog.detail).toContain('Save diagnostics');
    const old = [now - CRASH_WINDOW_MS - 1, now - CRASH_WINDOW_MS - 2, now - CRASH_WINDOW_MS - 3];
    expect(renderGoneDecision({ reason: 'crashed', exitCode: 11 }, old, now).action).toBe('reload');
    expect(renderGoneDecision({ reason: 'crashed', exitCode: 11 }, recent.slice(1), now).action).toBe(
      'reload',
    );
  });

  it('an integrity failure (a tampered app) is not reloaded', () => {
    expect(renderGoneDecision({ reason: 'integrity-failure', exitCode: 1 }, [], now).action).toBe('give-up');
  });
});

describe('childGoneDecision', () => {
  it('warns for a crashed GPU process, names a utility process, and is quiet about clean exits', () => {
    expect(childGoneDecision({ type: 'GPU', reason: 'crashed', exitCode: 139 })).toEqual({
      level: 'warn',
      log: 'child process gone: GPU, crashed, exit code 139',
    });
    expect(
      childGoneDecision({ type: 'Utility', reason: 'killed', exitCode: 9, name: 'Network Service' }).log,
    ).toBe('child process gone: Utility Network Service, killed, exit code 9');
    expect(childGoneDecision({ type: 'Utility', reason: 'clean-exit', exitCode: 0 }).level).toBe('info');
  });
});

describe('uncaughtDialog', () => {
  it('says where the details are and that taken payments are safe, without the message itself', () => {
    const d = uncaughtDialog(new TypeError('secret detail sk_live_x'), '/data/logs/main.log');
    expect(d.message).toBe('Something went wrong inside the console.');
    expect(d.detail).toContain('TypeError: it has been written to the log (/data/logs/main.log)');
    expect(d.detail).not.toContain('secret detail');
  });
});

describe('crashReporterOptions', () => {
  it('keeps dumps local unless an https URL is configured', () => {
    expect(crashReporterOptions({}, 'Merchant Console')).toEqual({
      productName: 'Merchant Console',
      companyName: 'Merchant Console',
      submitURL: '',
      uploadToServer: false,
      compress: true,
    });
    expect(
      crashReporterOptions({ MERCHANT_CONSOLE_CRASH_URL: 'http://crashes.shop.test/submit' }, 'M')
        .uploadToServer,
    ).toBe(false);
    const on = crashReporterOptions(
      { MERCHANT_CONSOLE_CRASH_URL: ' https://crashes.shop.test/submit ' },
      'M',
    );
    expect(on).toMatchObject({ uploadToServer: true, submitURL: 'https://crashes.shop.test/submit' });
  });
});
