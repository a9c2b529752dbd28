// Which SQLite build main loads, packaged (beside the asar) and unpackaged (the one npm start built).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { resolveSqliteBinding } from '../../../../electron/main/native-binding';

describe('resolveSqliteBinding', () => {
  it.each([
    ['macOS', '/Applications/Merchant Console.app/Contents/Resources'],
    ['Windows', 'C:/Program Files/Merchant Console/resources'],
    ['Linux', '/tmp/.mount_Merchant/resources'],
  ])('packaged on %s: app.asar.unpacked beside the archive', (_os, resources) => {
    const expected = join(
      resources,
      'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node',
    );
    const got = resolveSqliteBinding({
      isPackaged: true,
      resourcesPath: resources,
      env: { MERCHANT_CONSOLE_SQLITE_BINDING: '/ignored/when/packaged.node' },
      exists: (p) => p === expected,
    });
    expect(got).toBe(expected);
  });

  it('packaged but missing: an error that says to reinstall, not a crash deep in better-sqlite3', () => {
    expect(() =>
      resolveSqliteBinding({ isPackaged: true, resourcesPath: '/r', env: {}, exists: () => false }),
    ).toThrow(/Reinstall Merchant Console/);
  });

  it('unpackaged: the build npm start made and checked, or better-sqlite3’s own lookup', () => {
    expect(
      resolveSqliteBinding({
        isPackaged: false,
        resourcesPath: '/r',
        env: { MERCHANT_CONSOLE_SQLITE_BINDING: '/app/.native/x/better_sqlite3.node' },
        exists: () => true,
      }),
    ).toBe('/app/.native/x/better_sqlite3.node');
    expect(
      resolveSqliteBinding({ isPackaged: false, resourcesPath: '/r', env: {}, exists: () => true }),
    ).toBe(undefined);
  });
});
