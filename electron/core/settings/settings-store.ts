// Station settings that are not secret live in settings.json in the data folder; secrets (the Stripe secret
// key, the webhook signing secret) live only in the SecretStore. A damaged settings file is kept aside
// (settings.json.damaged-<time>) and reported, never silently overwritten.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger, SecretStore } from '../ports';
import type { Mode, Settings } from '../../ipc/contract';
import { modeForKey } from '../stripe/gateway';
import { AppError } from '../../ipc/errors';
import { DEFAULT_COUNTRY } from '../../ipc/phone';

export const SECRET_KEY = 'stripe.secretKey';
export const WEBHOOK_SECRET = 'stripe.webhookSecret';
export const DEFAULT_LINK_MESSAGE =
  'Hello from {shop}. To finish paying {amount} for order {order}, please confirm the payment with your bank here: {link}';

const FileSettings = z.object({
  station: z.string().min(1).max(60).optional(),
  publishableKey: z.string().nullable().optional(),
  motoEnabled: z.boolean().optional(),
  webhookEnabled: z.boolean().optional(),
  webhookPort: z.number().int().optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  linkMessage: z.string().max(500).optional(),
});
export type FileSettings = z.infer<typeof FileSettings>;

export class SettingsStore {
  private data: FileSettings;
  private readonly path: string;

  constructor(
    dataDir: string,
    private readonly secrets: SecretStore,
    private readonly defaultStation: string,
    private readonly logger: Logger,
  ) {
    this.path = join(dataDir, 'settings.json');
    this.data = this.load();
  }

  private load(): FileSettings {
    if (!existsSync(this.path)) return {};
    const text = readFileSync(this.path, 'utf8');
    try {
      return FileSettings.parse(JSON.parse(text));
    } catch (e) {
      const aside = `${this.path}.damaged-${Date.now()}`;
      renameSync(this.path, aside);
      this.logger.warn(
        `settings.json could not be read (${(e as Error).message}); kept it as ${aside} and started with defaults.`,
      );
      return {};
    }
  }

  private save(): void {
    writeFileSync(this.path, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
  }

  get station(): string {
    return this.data.station ?? this.defaultStation;
  }
  get motoEnabled(): boolean {
    return this.data.motoEnabled ?? false;
  }
  get publishableKey(): string | null {
    return this.data.publishableKey ?? null;
  }
  /** The shop's country: phone numbers typed without a country code are its numbers. */
  get country(): string {
    return this.shop?.().country ?? this.data.country ?? DEFAULT_COUNTRY;
  }
  get linkMessage(): string {
    return this.shop?.().linkMessage ?? this.data.linkMessage ?? DEFAULT_LINK_MESSAGE;
  }

  // The phone country and the message for links belong to the shop (its record in Stripe, projected here):
  // once a station knows the shop's values they win over what this station's file held before.
  private shop: (() => { country: string | null; linkMessage: string | null }) | null = null;
  readShopFrom(fn: () => { country: string | null; linkMessage: string | null }): void {
    this.shop = fn;
  }
  /** What this station's file held for the shop's fields (offered up to the shop's record once). */
  localShopFields(): { country?: string; linkMessage?: string } {
    return {
      ...(this.data.country ? { country: this.data.country } : {}),
      ...(this.data.linkMessage ? { linkMessage: this.data.linkMessage } : {}),
    };
  }
  get webhook(): { enabled: boolean; port: number } {
    return { enabled: this.data.webhookEnabled ?? false, port: this.data.webhookPort ?? 4242 };
  }

  secretKey(): string | null {
    return this.secrets.get(SECRET_KEY);
  }
  webhookSecret(): string | null {
    return this.secrets.get(WEBHOOK_SECRET);
  }

  mode(): Mode {
    const key = this.secretKey();
    return key ? modeForKey(key) : 'emulator';
  }

  update(patch: Partial<FileSettings> & { webhookSecret?: string | null }): void {
    const { webhookSecret, ...rest } = patch;
    for (const [k, v] of Object.entries(rest))
      if (v !== undefined) (this.data as Record<string, unknown>)[k] = v;
    if (webhookSecret !== undefined) {
      if (webhookSecret === null) this.secrets.delete(WEBHOOK_SECRET);
      else this.secrets.set(WEBHOOK_SECRET, webhookSecret);
    }
    this.save();
  }

  setSecretKey(key: string | null): void {
    try {
      if (key === null) this.secrets.delete(SECRET_KEY);
      else this.secrets.set(SECRET_KEY, key);
    } catch (e) {
      // e.g. no OS keychain: say so, rather than "something went wrong".
      throw new AppError('not_available', `The key was not saved: ${(e as Error).message}`);
    }
  }

  view(): Omit<Settings, 'stationCode' | 'shop' | 'stations' | 'stationCodeConflict'> {
    const key = this.secretKey();
    return {
      mode: this.mode(),
      hasSecretKey: key !== null,
      secretKeyHint: key ? `${key.slice(0, 8)}…${key.slice(-4)}` : null,
      publishableKey: this.publishableKey,
      motoEnabled: this.motoEnabled,
      webhook: { ...this.webhook, hasSecret: this.webhookSecret() !== null },
      station: this.station,
      country: this.country,
      linkMessage: this.linkMessage,
    };
  }
}
