// A station's data folder holds customers' addresses, phones and notes, the money journal and the audit log:
// on POSIX it is the user's alone (folder 0700, files 0600), whatever the umask was when it was made. Windows
// keeps per-user folders private through their ACLs (%APPDATA% is the user's own), so nothing is changed there.
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the folder if needed and makes it and the files directly in it private. Returns what was changed. */
export function makePrivate(dir: string, platform: NodeJS.Platform = process.platform): string[] {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (platform === 'win32') return [];
  const changed: string[] = [];
  const fix = (path: string, mode: number) => {
    const current = statSync(path).mode & 0o777;
    if (current !== mode) {
      chmodSync(path, mode);
      changed.push(path);
    }
  };
  fix(dir, PRIVATE_DIR_MODE);
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (!existsSync(path)) continue; // removed meanwhile (a WAL file at close)
    const st = statSync(path);
    if (st.isFile()) fix(path, PRIVATE_FILE_MODE);
    else if (st.isDirectory()) fix(path, PRIVATE_DIR_MODE);
  }
  return changed;
}
