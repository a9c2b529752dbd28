// A denied keychain prompt is explained and recoverable; it never turns into a silent offline demo.
import { describe, expect, it } from 'vitest';
import {
  SecretsUnreadableError,
  safeSecretStore,
  type SafeStorageLike,
  type SecretFiles,
} from '../../../../electron/main/adapters/safe-secret-store';
import {
  keychainDialog,
  unlockSecrets,
  type KeychainChoice,
} from '../../../../electron/main/keychain-recovery';

class Keychain implements SafeStorageLike {
  allow = true;
  available = true;
  backend = 'gnome_libsecret';
  isEncryptionAvailable = () => this.available;
  encryptString = (s: string) => Buffer.from(`enc:${s}`);
  decryptString = (b: Buffer) => {
    if (!this.allow)
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return b.toString().replace(/^enc:/, '');
  };
  getSelectedStorageBackend = () => this.backend;
}
class Files implements SecretFiles {
  m = new Map<string, Buffer>();
  exists = (p: string) => this.m.has(p);
  read = (p: string) => this.m.get(p)!;
  write = (p: string, d: Buffer) => void this.m.set(p, d);
  rename = (a: string, b: string) => {
    this.m.set(b, this.m.get(a)!);
    this.m.delete(a);
  };
}
const setup = (platform: NodeJS.Platform = 'darwin') => {
  const kc = new Keychain();
  const files = new Files();
  const store = safeSecretStore('/data', kc, platform, files, () => 1700000000000);
  return { kc, files, store };
};

describe('safeSecretStore', () => {
  it('stores and reads a key through the keychain', () => {
    const { store, files } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    expect(files.read('/data/secrets.bin').toString()).toBe('enc:{"stripe.secretKey":"sk_live_123"}');
    expect(store.get('stripe.secretKey')).toBe('sk_live_123');
    expect(store.check()).toEqual({ state: 'ok' });
  });

  it('a denied prompt: reading throws, and the file stays where it is (not moved aside)', () => {
    const { store, kc, files } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    kc.allow = false;
    expect(() => store.get('stripe.secretKey')).toThrow(SecretsUnreadableError);
    expect(files.exists('/data/secrets.bin')).toBe(true);
    expect([...files.m.keys()]).toEqual(['/data/secrets.bin']);
    const health = store.check();
    expect(health.state).toBe('unreadable');
    if (health.state === 'unreadable') expect(health.reason).toContain('the prompt was denied');
  });

  it('never writes over secrets it could not read', () => {
    const { store, kc, files } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    kc.allow = false;
    expect(() => store.set('stripe.webhookSecret', 'whsec_1')).toThrow(SecretsUnreadableError);
    kc.allow = true;
    expect(files.read('/data/secrets.bin').toString()).toContain('sk_live_123');
  });

  it('Linux without a keyring (basic_text) is not encryption: nothing is stored', () => {
    const { store, kc } = setup('linux');
    kc.backend = 'basic_text';
    expect(store.encrypted).toBe(false);
    expect(() => store.set('stripe.secretKey', 'sk_live_1')).toThrow(/keychain is not available/);
  });

  it('a keychain that is not available at all is explained per platform', () => {
    for (const [platform, words] of [
      ['darwin', 'macOS keychain'],
      ['win32', 'Windows data protection'],
      ['linux', 'GNOME Keyring or KWallet'],
    ] as const) {
      const { store, kc, files } = setup(platform);
      files.write('/data/secrets.bin', Buffer.from('enc:{}'));
      kc.available = false;
      const h = store.check();
      expect(h.state === 'unreadable' && h.reason, platform).toContain(words);
    }
  });

  it('setAside keeps the unreadable file under another name', () => {
    const { store, kc, files } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    kc.allow = false;
    expect(store.setAside()).toBe('/data/secrets.bin.unreadable-1700000000000');
    expect(files.exists('/data/secrets.bin')).toBe(false);
    expect(store.check()).toEqual({ state: 'empty' });
  });
});

describe('unlockSecrets', () => {
  it('asks again until the keychain lets it read (the person allowed the second prompt)', async () => {
    const { store, kc } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    kc.allow = false;
    const asked: number[] = [];
    const r = await unlockSecrets(store, async (p) => {
      asked.push(p.attempt);
      if (p.attempt === 2) kc.allow = true;
      return 'retry';
    });
    expect(r).toEqual({ proceed: true, reentered: false });
    expect(asked).toEqual([1, 2]);
    expect(store.get('stripe.secretKey')).toBe('sk_live_123');
  });

  it('"Enter the key again" keeps the old file aside and says where', async () => {
    const { store, kc, files } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    kc.allow = false;
    const r = await unlockSecrets(store, async () => 'reenter' as KeychainChoice);
    expect(r).toEqual({
      proceed: true,
      reentered: true,
      keptAs: '/data/secrets.bin.unreadable-1700000000000',
    });
    expect(files.exists('/data/secrets.bin.unreadable-1700000000000')).toBe(true);
  });

  it('"Quit" changes nothing', async () => {
    const { store, kc, files } = setup();
    store.set('stripe.secretKey', 'sk_live_123');
    kc.allow = false;
    expect(await unlockSecrets(store, async () => 'quit' as KeychainChoice)).toEqual({ proceed: false });
    expect([...files.m.keys()]).toEqual(['/data/secrets.bin']);
  });

  it('does not ask at all when there is nothing stored or it reads fine', async () => {
    const { store } = setup();
    let asked = 0;
    await unlockSecrets(store, async () => (asked++, 'quit'));
    store.set('stripe.secretKey', 'sk_test_1');
    await unlockSecrets(store, async () => (asked++, 'quit'));
    expect(asked).toBe(0);
  });

  it('the dialog says what happened and that the demo runs until a key is entered', () => {
    const d = keychainDialog({
      reason: 'macOS did not let Merchant Console use its keychain item',
      attempt: 1,
    });
    expect(d.buttons).toEqual(['Ask the keychain again', 'Enter the key again', 'Quit']);
    expect(d.detail).toContain('macOS did not let');
    expect(d.detail).toContain('offline demo');
  });
});
