// The built renderer holds no Stripe secret key and no Node API: it can reach main only through window.api.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../../../..');
const out = join(root, 'out/renderer');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)],
  );
}

beforeAll(() => {
  if (!existsSync(join(out, 'index.html'))) {
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
}, 120_000);

describe('the sandboxed preload', () => {
  it('requires nothing but electron (a sandboxed preload can load nothing else)', () => {
    const text = readFileSync(join(root, 'out/preload/index.cjs'), 'utf8');
    const required = [...text.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});

describe('the renderer bundle', () => {
  it('exists and has JavaScript in it', () => {
    expect(files(out).some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('holds no Stripe secret or restricted key', () => {
    for (const f of files(out)) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(/\b(sk|rk)_(test|live)_[A-Za-z0-9]{8,}/);
      expect(text, f).not.toMatch(/\bwhsec_[A-Za-z0-9]{8,}/);
    }
  });

  it('uses no Node or Electron API', () => {
    for (const f of files(out).filter((x) => x.endsWith('.js'))) {
      const text = readFileSync(f, 'utf8');
      expect(text, f).not.toMatch(
        /require\(\s*["'](fs|child_process|net|http|https|os|path|crypto|electron|better-sqlite3)["']\s*\)/,
      );
      expect(text, f).not.toMatch(/from\s*["']node:/);
      expect(text, f).not.toMatch(/\bipcRenderer\b/);
      expect(text, f).not.toMatch(/process\.binding|child_process/);
    }
  });

  it('carries no zod schemas (the renderer imports contract types only)', () => {
    const js = files(out)
      .filter((x) => x.endsWith('.js'))
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    expect(js).not.toMatch(/ZodError|_zod/);
  });
});
