// Secrets encrypted with the OS keychain through Electron's safeStorage, kept in secrets.bin in userData.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from '../../core/ports';

export function safeSecretStore(dataDir: string): SecretStore {
  const path = join(dataDir, 'secrets.bin');
  // Linux without a keyring falls back to 'basic_text': effectively plain text. That is not encryption.
  const available = () =>
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  const read = (): Record<string, string> => {
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(safeStorage.decryptString(readFileSync(path))) as Record<string, string>;
    } catch (e) {
      // Never overwrite secrets we could not read (another OS user, a changed keychain): keep them aside.
      const aside = `${path}.unreadable-${Date.now()}`;
      renameSync(path, aside);
      throw new Error(
        `The stored secrets could not be decrypted (${(e as Error).message}); kept them as ${aside}.`,
      );
    }
  };
  const write = (data: Record<string, string>) =>
    writeFileSync(path, safeStorage.encryptString(JSON.stringify(data)), { mode: 0o600 });
  return {
    get encrypted() {
      return available();
    },
    get: (name) => read()[name] ?? null,
    set: (name, value) => {
      if (!available()) throw new Error('The OS keychain is not available; the key was not saved.');
      write({ ...read(), [name]: value });
    },
    delete: (name) => {
      const d = read();
      delete d[name];
      write(d);
    },
  };
}
