// The log file: redacted lines, rotation at a size, the oldest dropped, and a logger port over it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingLog, fileLogger, rendererLevel } from '../../../../../electron/main/desktop/log-file';

const fresh = () => mkdtempSync(join(tmpdir(), 'mc-log-'));

describe('RotatingLog', () => {
  it('writes timestamped, levelled, redacted lines, continuation lines indented', () => {
    const dir = fresh();
    const log = new RotatingLog({ dir, name: 'main', now: () => Date.UTC(2026, 11, 3, 10, 0, 0) });
    log.write('info', 'started');
    log.write('error', 'saving key sk_live_abcdef123456 failed\n  at x (y.ts:1)');
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toBe(
      '2026-12-03T10:00:00.000Z INFO  started\n' +
        '2026-12-03T10:00:00.000Z ERROR saving key sk_live_[redacted] failed\n      at x (y.ts:1)\n',
    );
  });

  it('rotates past the size: main.log → main.1.log → …, keeping `keep` old files', () => {
    const dir = fresh();
    const log = new RotatingLog({ dir, name: 'main', maxBytes: 200, keep: 2, now: () => 0 });
    for (let i = 0; i < 40; i++) log.write('info', `line ${String(i).padStart(2, '0')} ${'x'.repeat(20)}`);
    const files = log.files();
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['main.log', 'main.1.log', 'main.2.log']);
    for (const f of files) expect(readFileSync(f).length).toBeLessThanOrEqual(200);
    // The newest line is in main.log; the oldest lines are gone.
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('line 39');
    expect(files.map((f) => readFileSync(f, 'utf8')).join('')).not.toContain('line 00');
  });

  it('continues an existing file, counting its size', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'main.log'), 'x'.repeat(190) + '\n');
    const log = new RotatingLog({ dir, name: 'main', maxBytes: 200, now: () => 0 });
    log.write('info', 'next');
    expect(readFileSync(join(dir, 'main.1.log'), 'utf8')).toHaveLength(191);
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toContain('next');
  });

  it('a logger port over it formats arguments (errors with their stack) and echoes redacted', () => {
    const dir = fresh();
    const log = new RotatingLog({ dir, name: 'main', now: () => 0 });
    const echoed: string[] = [];
    const echo = {
      log: (m: string) => echoed.push(m),
      warn: (m: string) => echoed.push(m),
      error: (m: string) => echoed.push(m),
    };
    const logger = fileLogger(log, echo);
    logger.error('handler failed', new Error('card 4242424242424242 declined'));
    logger.info('n=%d', 3);
    const text = readFileSync(join(dir, 'main.log'), 'utf8');
    expect(text).toContain('ERROR handler failed Error: card [card ••••4242] declined');
    expect(text).toContain('at '); // the stack
    expect(text).toContain('INFO  n=3');
    expect(echoed.join('\n')).not.toContain('4242424242424242');
  });

  it('maps the renderer console’s levels', () => {
    expect(['error', 'warning', 'info', 'debug'].map(rendererLevel)).toEqual([
      'error',
      'warn',
      'info',
      'debug',
    ]);
  });
});
