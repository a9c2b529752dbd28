// Which better_sqlite3.node main loads. Packaged: the Electron-ABI build electron-builder put beside the
// asar (app.asar.unpacked — a native module can't be loaded from inside an archive). Unpackaged: the one
// `npm start` built and checked in .native/ (MERCHANT_CONSOLE_SQLITE_BINDING). Otherwise better-sqlite3's
// own lookup, which finds node_modules' build for Node — the start-up error then says what to run.
import { join } from 'node:path';

export const UNPACKED_BINDING = [
  'app.asar.unpacked',
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
] as const;

export interface BindingContext {
  isPackaged: boolean;
  /** process.resourcesPath: …/resources (Windows, Linux) or …/Contents/Resources (macOS). */
  resourcesPath: string;
  env: Readonly<Record<string, string | undefined>>;
  exists(path: string): boolean;
}

export function resolveSqliteBinding(c: BindingContext): string | undefined {
  if (c.isPackaged) {
    const path = join(c.resourcesPath, ...UNPACKED_BINDING);
    if (!c.exists(path)) {
      throw new Error(
        `This installation is incomplete: the SQLite module is missing (${path}). Reinstall Merchant Console.`,
      );
    }
    return path;
  }
  return c.env.MERCHANT_CONSOLE_SQLITE_BINDING || undefined;
}
