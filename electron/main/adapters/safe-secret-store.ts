// Secrets encrypted with the OS keychain through Electron's safeStorage, kept in secrets.bin in userData.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import type { SecretStore } from '../../core/ports';

export function safeSecretStore(dataDir: string): SecretStore {
  const path = join(dataDir, 'secrets.bin');
  const read = (): Record<string, string> => {
    if (!existsSync(path)) return {};
    try {
      return JSON.parse(safeStorage.decryptString(readFileSync(path))) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const write = (data: Record<string, string>) =>
    writeFileSync(path, safeStorage.encryptString(JSON.stringify(data)), { mode: 0o600 });
  return {
    get encrypted() {
      return safeStorage.isEncryptionAvailable();
    },
    get: (name) => read()[name] ?? null,
    set: (name, value) => {
      if (!safeStorage.isEncryptionAvailable())
        throw new Error('The OS keychain is not available; the key was not saved.');
      write({ ...read(), [name]: value });
    },
    delete: (name) => {
      const d = read();
      delete d[name];
      write(d);
    },
  };
}
