// Save diagnostics: versions, sync health and the logs, redacted; never the database.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  LOG_TAIL_BYTES,
  diagnosticsFileName,
  diagnosticsText,
} from '../../../../../electron/main/desktop/diagnostics';

describe('diagnosticsText', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mc-diag-'));
  writeFileSync(
    join(dir, 'main.log'),
    'INFO started\nERROR key sk_live_abcdef123456 refused; card 4242424242424242\n',
  );
  writeFileSync(join(dir, 'renderer.log'), `${'y'.repeat(LOG_TAIL_BYTES)}\nlast line\n`);
  writeFileSync(join(dir, 'console.db'), 'SQLite format 3 — customers');
  const input = {
    productName: 'Merchant Console',
    version: '0.1.0',
    versions: { electron: '41.7.1', node: '22.0.0' },
    platform: 'linux',
    arch: 'x64',
    osRelease: '6.1.0',
    packaged: true,
    mode: 'test',
    station: 'Front desk',
    syncHealth: { state: 'ok', lastEventAt: 1733212800, lag: 2 },
    updateState: { kind: 'up-to-date' },
    dataDir: dir,
    logFiles: [join(dir, 'main.log'), join(dir, 'renderer.log'), join(dir, 'missing.log')],
    crashDumps: 1,
    now: Date.UTC(2026, 11, 3, 9, 30),
  };
  const text = diagnosticsText(input);

  it('has the versions, the mode, the station, sync health and the update state', () => {
    expect(text).toContain('"app": "Merchant Console 0.1.0"');
    expect(text).toContain('"electron": "41.7.1"');
    expect(text).toContain('"stripeMode": "test"');
    expect(text).toContain('"station": "Front desk"');
    expect(text).toContain('"state": "ok"');
    expect(text).toContain('"kind": "up-to-date"');
    expect(text).toContain('"crashDumpsKept": 1');
  });

  it('has each log (the newest part of a long one), redacted even if written before redaction existed', () => {
    expect(text).toContain('== main.log ==');
    expect(text).toContain('sk_live_[redacted]');
    expect(text).not.toContain('sk_live_abcdef123456');
    expect(text).not.toContain('4242424242424242');
    expect(text).toContain('== renderer.log ==');
    expect(text).toMatch(/\[… \d+ earlier bytes left out …\]/);
    expect(text).toContain('last line');
    expect(text).toContain('== missing.log ==\n[could not be read');
  });

  it('never the database', () => {
    expect(text).not.toContain('SQLite format 3');
    expect(text).not.toContain('console.db ==');
  });

  it('a file name with the time, safe on every OS', () => {
    expect(diagnosticsFileName(Date.UTC(2026, 11, 3, 9, 30, 5))).toBe(
      'merchant-console-diagnostics-2026-12-03T09-30-05.txt',
    );
  });
});
