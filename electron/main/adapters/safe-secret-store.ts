// Secrets encrypted with the OS keychain through Electron's safeStorage, kept in secrets.bin in userData.
//
// A file that can't be decrypted right now (the macOS keychain prompt was denied, the Linux keyring is
// locked, another Windows user's DPAPI) is left exactly where it is: reading it throws, writing over it is
// refused, and main asks the person what to do (keychain-recovery.ts) — ask the keychain again, or set the
// file aside and enter the key again. It is never moved aside on its own, so a denied prompt can't turn the
// next launch into a silent offline demo.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../../core/ports';

/** The part of Electron's safeStorage used here (injected: tests run without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

export interface SecretFiles {
  exists(path: string): boolean;
  read(path: string): Buffer;
  write(path: string, data: Buffer): void;
  rename(from: string, to: string): void;
}

const realFiles: SecretFiles = {
  exists: existsSync,
  read: (p) => readFileSync(p),
  write: (p, d) => writeFileSync(p, d, { mode: 0o600 }),
  rename: renameSync,
};

export type SecretsHealth =
  { state: 'empty' } | { state: 'ok' } | { state: 'unreadable'; reason: string; path: string };

export class SecretsUnreadableError extends Error {
  constructor(
    readonly reason: string,
    readonly path: string,
  ) {
    super(`The stored Stripe key could not be read: ${reason}`);
    this.name = 'SecretsUnreadableError';
  }
}

export interface KeychainSecretStore extends SecretStore {
  /** Try to read the file now (on macOS this may show the keychain prompt). */
  check(): SecretsHealth;
  /** Move the unreadable file aside (the person chose to enter the key again); returns where it went. */
  setAside(): string;
}

export function safeSecretStore(
  dataDir: string,
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform = process.platform,
  files: SecretFiles = realFiles,
  now: () => number = Date.now,
): KeychainSecretStore {
  const path = join(dataDir, 'secrets.bin');
  // Linux without a keyring falls back to 'basic_text': effectively plain text. That is not encryption.
  const available = () =>
    safeStorage.isEncryptionAvailable() &&
    !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  const read = (): Record<string, string> => {
    if (!files.exists(path)) return {};
    if (!safeStorage.isEncryptionAvailable())
      throw new SecretsUnreadableError(keychainUnavailable(platform), path);
    try {
      return JSON.parse(safeStorage.decryptString(files.read(path))) as Record<string, string>;
    } catch (e) {
      throw new SecretsUnreadableError(decryptFailed(platform, (e as Error).message), path);
    }
  };
  const write = (data: Record<string, string>) =>
    files.write(path, safeStorage.encryptString(JSON.stringify(data)));
  return {
    get encrypted() {
      return available();
    },
    get: (name) => read()[name] ?? null,
    set: (name, value) => {
      if (!available()) throw new Error('The OS keychain is not available; the key was not saved.');
      write({ ...read(), [name]: value }); // read() throws for an unreadable file: never written over
    },
    delete: (name) => {
      const d = read();
      delete d[name];
      write(d);
    },
    check() {
      if (!files.exists(path)) return { state: 'empty' };
      try {
        read();
        return { state: 'ok' };
      } catch (e) {
        if (e instanceof SecretsUnreadableError) return { state: 'unreadable', reason: e.reason, path };
        throw e;
      }
    },
    setAside() {
      const aside = `${path}.unreadable-${now()}`;
      files.rename(path, aside);
      return aside;
    },
  };
}

function keychainUnavailable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'the macOS keychain is not available to Merchant Console right now';
  if (platform === 'win32') return 'Windows data protection is not available for this user right now';
  return 'the system keyring (GNOME Keyring or KWallet) is locked or not running';
}

function decryptFailed(platform: NodeJS.Platform, detail: string): string {
  if (platform === 'darwin')
    return `macOS did not let Merchant Console use its keychain item (the prompt was denied, or the keychain is locked) — ${detail}`;
  if (platform === 'win32')
    return `Windows could not decrypt it (it may have been stored by another Windows user or on another PC) — ${detail}`;
  return `the keyring could not decrypt it (locked, or a different keyring than the one it was stored with) — ${detail}`;
}
