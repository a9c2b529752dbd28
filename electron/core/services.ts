// The composition root of the core: one function, called by Electron main, by browser mode and by tests.
// It opens the database for the current mode, picks the Stripe endpoint (the built-in emulator when no key
// is configured), wires the services, and returns the dispatcher that answers the IPC contract.
import { makePrivate } from './private-files';
import { setAuditAnchorKey } from './audit/audit-log';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { randomBytes } from 'node:crypto';
import type { Mode } from '../ipc/contract';
import { openDatabase, type Db } from './store/db';
import {
  consoleLogger,
  realScheduler,
  systemClock,
  type AuthWindow,
  type CardEntry,
  type Clock,
  type DesktopHandoff,
  type EventSink,
  type IdGenerator,
  type Logger,
  type Notifier,
  type Scheduler,
  type SecretStore,
} from './ports';
import { createDispatcher, type Dispatch, type Handlers } from './dispatch';
import { AuthService } from './auth/auth-service';
import { SettingsStore } from './settings/settings-store';
import { createStripeGateway, type GatewayConfig, type StripeGateway } from './stripe/gateway';
import { Journal, openEntries } from './stripe/journal';
import { PaymentsService } from './payments/payments-service';
import { HoldsService } from './payments/holds-service';
import { SavedCardsService } from './payments/saved-cards-service';
import { OrdersService } from './orders/orders-service';
import { SyncEngine } from './sync/sync-engine';
import { reprojectEarlierOrders } from './sync/shop-projection';
import { createReconciler } from './sync/reconcile';
import { startWebhookReceiver } from './sync/webhook-receiver';
import { CatalogService } from './catalog/catalog-service';
import { Publisher } from './sync/publisher';
import { StripeClock } from './stripe/stripe-clock';
import { orderIdFor } from './orders/orders-repo';
import { createHandlers } from './handlers';
import { GlanceService } from './glance/glance-service';
import { CustomersService } from './customers/customers-service';
import { OrderExtrasService } from './orders/order-extras';
import type { Printer } from './printing/print-documents';
import { ShopRecord, shopField, SHOP_RECORD_ID } from './settings/shop-record';
import { readShopTax } from './settings/shop-tax-record';
import { StaffShare } from './auth/staff-shared';
import { machineTimeZone } from './glance/time-zone';

export interface EmulatorHandle {
  url: string;
  host: string;
  port: number;
  advanceClock(seconds: number): void;
  now(): number;
  close(): Promise<void>;
}

export interface ServiceOptions {
  dataDir: string;
  secrets: SecretStore;
  authWindow: AuthWindow;
  /** Live card entry in a window of its own (Electron only). */
  cardEntry?: CardEntry;
  /** The desktop window printing itself (Electron only); browser mode prints from the page. */
  printer?: Printer;
  /** The clipboard and links handed to other apps (Electron only); browser mode does both in the page. */
  handoff?: DesktopHandoff;
  events: EventSink;
  clock?: Clock;
  ids?: IdGenerator;
  scheduler?: Scheduler;
  logger?: Logger;
  notifier?: Notifier;
  station?: string;
  version?: string;
  nativeBinding?: string;
  /** Talk to this Stripe endpoint (tests: an emulator they started) instead of deciding from settings. */
  stripe?: GatewayConfig;
  /** How to start the offline demo's emulator when no key is configured. */
  startEmulator?: (statePath: string) => Promise<EmulatorHandle>;
  /** Start polling at once (default true). Tests drive `sync.pollOnce()` themselves. */
  autoSync?: boolean;
  /** Ask the host to rebuild services (after the secret key changed the mode). */
  requestRestart?: () => void;
  /**
   * A Stripe-compatible server every station of a demo shop shares (e.g. `npm run emulator -- --port 12111
   * --seed demo`), used when no key is configured instead of starting an emulator of its own. Defaults to
   * MERCHANT_CONSOLE_STRIPE_API.
   */
  stripeApi?: string | undefined;
}

export interface Services {
  dispatch: Dispatch;
  handlers: Handlers;
  db: Db;
  mode: Mode;
  auth: AuthService;
  payments: PaymentsService;
  holds: HoldsService;
  savedCards: SavedCardsService;
  orders: OrdersService;
  catalog: CatalogService;
  publisher: Publisher;
  sync: SyncEngine;
  settings: SettingsStore;
  /** The shop's settings in Stripe: bringIn() reads them (at start, and until it worked once). */
  shopRecord: ShopRecord;
  /** The shop's staff in Stripe: bringIn() reads them; publish() sends accounts changed here. */
  staffShare: StaffShare;
  emulator: EmulatorHandle | null;
  gateway: () => StripeGateway;
  /** Finish (same key) or settle journaled requests left open (by a crash, or an unknown outcome). */
  recover(minIdleMs?: number): Promise<number>;
  close(): Promise<void>;
}

export const defaultIds: IdGenerator = {
  id: (prefix) => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`,
  uuid: () => uuidv7(),
};

export async function createServices(o: ServiceOptions): Promise<Services> {
  // In the offline demo the console keeps the emulator's time, so the training clock moves both.
  let clock: Clock = o.clock ?? systemClock;
  const ids = o.ids ?? defaultIds;
  const scheduler = o.scheduler ?? realScheduler;
  const logger = o.logger ?? consoleLogger;
  const notifier = o.notifier ?? {
    notify: (t: string, b: string) => logger.info(`notification: ${t} — ${b}`),
  };
  // Private before anything is written in it (addresses, phones, the journal): 0700, its files 0600.
  makePrivate(o.dataDir);
  const settings = new SettingsStore(o.dataDir, o.secrets, o.station ?? 'Station 1', logger);

  // Where Stripe is: an explicit endpoint (tests), a configured key (test/live), a shared demo shop's server,
  // or the built-in emulator.
  let emulator: EmulatorHandle | null = null;
  let gatewayConfig: GatewayConfig;
  let shop: string;
  const sharedApi = o.stripeApi ?? process.env.MERCHANT_CONSOLE_STRIPE_API;
  if (o.stripe) {
    gatewayConfig = o.stripe;
    shop = `Stripe at ${o.stripe.host ?? 'api.stripe.com'}${o.stripe.port ? `:${o.stripe.port}` : ''}`;
  } else {
    const key = settings.secretKey();
    if (key) {
      gatewayConfig = { secretKey: key, mode: settings.mode() };
      shop = gatewayConfig.mode === 'live' ? 'Stripe (live)' : 'Stripe test mode';
    } else if (sharedApi) {
      let url: URL;
      try {
        url = new URL(sharedApi);
      } catch {
        throw new Error(
          `MERCHANT_CONSOLE_STRIPE_API is not an address (${sharedApi}); expected e.g. http://127.0.0.1:12111`,
        );
      }
      gatewayConfig = {
        secretKey: 'sk_test_shared_demo',
        mode: 'emulator',
        host: url.hostname,
        port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
        protocol: url.protocol === 'https:' ? 'https' : 'http',
      };
      shop = `Shared demo shop at ${url.origin}`;
    } else {
      shop = 'Offline demo (this station’s own emulator)';
      if (!o.startEmulator) throw new Error('No Stripe key is configured and no emulator was provided.');
      emulator = await o.startEmulator(join(o.dataDir, 'emulator-state.sqlite'));
      const emu = emulator;
      if (!o.clock) clock = { now: () => emu.now() };
      gatewayConfig = {
        secretKey: 'sk_test_offline_demo',
        mode: 'emulator',
        host: emulator.host,
        port: emulator.port,
        protocol: 'http',
      };
    }
  }
  const mode: Mode = gatewayConfig.mode;
  const dbPath = join(o.dataDir, `console-${mode}.sqlite`);
  const db = openDatabase(dbPath, {
    ...(o.nativeBinding ? { nativeBinding: o.nativeBinding } : {}),
    // A big shop's file is checked after start-up (issue 22); damage found then is said at once.
    onBackgroundCheck: (result) => {
      if (result === 'ok') return;
      logger.error(`the database at ${dbPath} is damaged: ${result}`);
      notifier.notify(
        'This station’s database is damaged',
        'Restore it from a backup, or move it aside to rebuild this station from Stripe.',
      );
    },
  });
  makePrivate(o.dataDir); // the database's own files (-wal, -shm) were made just now
  // The anchor made by migration 010 is sealed with the station's key once; the keychain remembers it was done.
  setAuditAnchorKey(db, auditAnchorKey(o.secrets), o.secrets.get('audit-anchor-sealed') !== '1');
  if (o.secrets.get('audit-anchor-sealed') !== '1') o.secrets.set('audit-anchor-sealed', '1');
  // Orders an earlier version's rule left out (saved-card orders first seen cancelled): projected once.
  reprojectEarlierOrders(db, clock.now());
  const gatewayInstance = createStripeGateway(gatewayConfig);
  const gateway = () => gatewayInstance;

  const journal = new Journal({ db, clock, ids });
  const stripeClock = new StripeClock(clock);
  const auth = new AuthService(db, clock, ids, () => settings.station);
  const station = () => settings.station;
  const sync = new SyncEngine({
    db,
    clock,
    scheduler,
    logger,
    gateway,
    station,
    stripeClock,
    onApplied: ({ orderIds, holdIds, cartIds, productIds, alerts }) => {
      if (productIds?.length) o.events.emit('products:changed', { productIds });
      if (orderIds.length) o.events.emit('orders:changed', { orderIds });
      if (holdIds.length) o.events.emit('holds:changed', { paymentIntentIds: holdIds });
      for (const cartId of cartIds) o.events.emit('carts:changed', { cartId });
      // What Stripe said that a manager must act on (a dispute, a fraud warning, a failed refund): once, when
      // this station first learns of it.
      for (const a of alerts ?? []) {
        notifier.notify(a.title, a.body);
        o.events.emit('orders:alerted', { ...a, orderId: orderIdFor(a.paymentIntentId) });
      }
    },
    onHealth: (h) => o.events.emit('sync:progressed', h),
  });
  const payments = new PaymentsService({
    db,
    clock,
    ids,
    journal,
    gateway,
    authWindow: o.authWindow,
    logger,
    settings: {
      get motoEnabled() {
        return settings.motoEnabled;
      },
      get station() {
        return settings.station;
      },
    },
    shopTax: () => readShopTax(db),
    onCartChanged: (cartId) => {
      o.events.emit('carts:changed', { cartId });
      sync.poke();
    },
    onOrdersChanged: (orderIds) => o.events.emit('orders:changed', { orderIds }),
  });
  const holds = new HoldsService({
    db,
    clock,
    gateway,
    payments,
    stripeNow: () => stripeClock.now(),
    onHoldsChanged: (paymentIntentIds) => {
      o.events.emit('holds:changed', { paymentIntentIds });
      sync.poke();
    },
  });
  // Waitlist orders on a saved card: saved at checkout or with the hold, charged off-session on arrival.
  const savedCards = new SavedCardsService({
    db,
    clock,
    gateway,
    payments,
    authWindow: o.authWindow,
    stripeNow: () => stripeClock.now(),
    onCartChanged: (cartId) => {
      o.events.emit('carts:changed', { cartId });
      sync.poke();
    },
    onOrdersChanged: (orderIds) => {
      o.events.emit('orders:changed', { orderIds });
      sync.poke();
    },
    shopTax: () => readShopTax(db),
  });
  payments.useWaitlist(savedCards);
  const orders = new OrdersService({
    db,
    clock,
    gateway,
    payments,
    station,
    country: () => settings.country,
    stripeNow: () => stripeClock.now(),
    onOrdersChanged: (orderIds) => {
      o.events.emit('orders:changed', { orderIds });
      sync.poke();
    },
  });
  const catalog = new CatalogService({
    db,
    clock,
    gateway,
    payments,
    station,
    onProductsChanged: (productIds) => {
      o.events.emit('products:changed', { productIds });
      sync.poke();
    },
    newId: () => ids.uuid().replace(/-/g, ''),
  });
  const reconciler = createReconciler(db, clock, gateway);
  // Today and "expiring within 24 h" are counted on Stripe's clock (its answers' Date headers), not this machine's.
  const glance = new GlanceService({
    db,
    clock: { now: () => stripeClock.now() },
    openHolds: () => holds.list('open'),
  });
  const customers = new CustomersService({ db, clock, gateway, payments, allHolds: () => holds.list('all') });
  const orderExtras = new OrderExtrasService({
    db,
    clock,
    gateway,
    payments,
    orders,
    catalog,
    holds,
    onOrdersChanged: (orderIds) => {
      o.events.emit('orders:changed', { orderIds });
      sync.poke();
    },
    stripeNow: () => stripeClock.now(),
  });
  const publisher = new Publisher({ db, clock, gateway, payments, catalog, logger });
  // The shop's settings live in Stripe (settings/shop-record.ts); the phone country and the message for links
  // are read from there too. This station's earlier settings are offered up once.
  const shopRecord = new ShopRecord({
    db,
    gateway,
    legacy: () => ({
      ...settings.localShopFields(),
      name: shopField(db, 'name'),
      timeZone: shopField(db, 'timeZone') ?? machineTimeZone(),
      defaultShippingFee: shopField(db, 'defaultShippingFee'),
      address: shopField(db, 'address'),
    }),
  });
  settings.readShopFrom(() => ({
    country: shopField(db, 'country'),
    linkMessage: shopField(db, 'linkMessage'),
  }));
  // The shop's staff live in Stripe too (auth/staff-shared.ts): a joining station gets them at start.
  const staffShare = new StaffShare({ db, gateway, now: () => clock.now() });
  let staffIn = false;
  let staffFirst: Promise<void> = Promise.resolve();
  const bringInStaff = () => {
    if (staffIn) return staffFirst;
    staffFirst = staffShare
      .bringIn()
      .then(() => {
        staffIn = true;
      })
      .catch((e: Error) => logger.warn(`the shop's staff could not be read from Stripe: ${e.message}`));
    return staffFirst;
  };
  let shopRecordIn = false;
  const bringInShop = () => {
    void bringInStaff();
    if (shopRecordIn) return;
    shopRecord
      .bringIn()
      .then((changed) => {
        shopRecordIn = true;
        if (changed) o.events.emit('products:changed', { productIds: [SHOP_RECORD_ID] });
      })
      .catch((e: Error) => logger.warn(`the shop's settings could not be read from Stripe: ${e.message}`));
  };
  // The demo shop's catalog, in the Stripe the demo talks to (once per account, whichever station is first).
  if (mode === 'emulator') {
    try {
      await catalog.seedDemo();
    } catch (e) {
      logger.warn(`the demo catalog could not be created: ${(e as Error).message}`);
    }
  }

  // Forwarded webhooks, when enabled in Settings.
  let webhook: { close(): Promise<void> } | null = null;
  if (settings.webhook.enabled) {
    try {
      const r = await startWebhookReceiver({
        port: settings.webhook.port,
        secret: () => settings.webhookSecret(),
        verify: (raw, sig, secret) => gatewayInstance.constructWebhookEvent(raw, sig, secret),
        ingest: (event) => void sync.ingest([event], 'webhook'),
        ingestBatch: (events) => void sync.ingest(events, 'webhook'),
        logger,
      });
      webhook = r;
      sync.setWebhookStatus(true, r.port);
    } catch (e) {
      logger.warn(
        `webhook receiver could not start on port ${settings.webhook.port}: ${(e as Error).message}`,
      );
    }
  }

  // Hold-expiry notifications (48 h, 24 h, 4 h before), checked every minute.
  let notifyTimer: (() => void) | null = null;
  const checkExpiries = () => {
    bringInShop(); // until it worked once (Stripe unreachable at start)
    for (const { hold, hoursLeft } of holds.dueNotifications()) {
      const h = Math.max(1, Math.round(hoursLeft));
      notifier.notify(
        'Hold expiring',
        `${hold.customerName}: the authorization lapses in about ${h} hour${h === 1 ? '' : 's'}. Capture or release it.`,
        { kind: 'hold', paymentIntentId: hold.paymentIntentId },
      );
      o.events.emit('holds:expiring', {
        paymentIntentId: hold.paymentIntentId,
        customerName: hold.customerName,
        hoursLeft,
      });
    }
    void recover(60_000).catch((e: Error) => logger.warn(`journal sweep failed: ${e.message}`));
    notifyTimer = scheduler.after(60_000, checkExpiries);
  };
  // Daily reconciliation.
  let reconcileTimer: (() => void) | null = null;
  const dailyReconcile = () => {
    reconciler.run().catch((e: Error) => logger.warn(`daily reconciliation failed: ${e.message}`));
    reconcileTimer = scheduler.after(24 * 3600_000, dailyReconcile);
  };

  /**
   * Finish or settle open journal entries: at start-up all of them (a crash left them), and then every
   * minute those untouched for a while (an unknown outcome nobody came back to). Same key, same parameters.
   */
  let recovering: Promise<number> | null = null;
  function recover(minIdleMs = 0): Promise<number> {
    // One sweep at a time: two would attempt the same entry at once.
    recovering ??= sweep(minIdleMs).finally(() => {
      recovering = null;
    });
    return recovering;
  }
  async function sweep(minIdleMs: number): Promise<number> {
    let n = 0;
    for (const entry of openEntries(db)) {
      if (clock.now() - entry.updatedAt < minIdleMs) continue;
      try {
        await payments.settleEntry(entry, null);
        n++;
      } catch (e) {
        logger.warn(`could not settle journal entry ${entry.key}: ${(e as Error).message}`);
      }
    }
    return n;
  }

  const handlers = createHandlers({
    mode,
    version: o.version ?? '0.1.0',
    clock,
    ids,
    db,
    auth,
    settings,
    payments,
    holds,
    savedCards,
    orders,
    sync,
    reconciler,
    catalog,
    gateway,
    shop,
    stripeNow: () => stripeClock.now(),
    emulator,
    cardEntry: o.cardEntry ?? null,
    glance,
    customers,
    orderExtras,
    shopRecord,
    staffShare,
    // A joining station asks "is there a manager?" only once the shop's staff were read (or could not be).
    staffReady: () => Promise.race([staffFirst, new Promise<void>((r) => scheduler.after(5000, r))]),
    printer: o.printer ?? null,
    handoff: o.handoff ?? null,
    requestRestart: o.requestRestart ?? (() => logger.warn('restart the console to switch Stripe mode')),
  });
  const dispatch = createDispatcher(handlers, logger);

  if (o.autoSync !== false) {
    void recover()
      .then(() => publisher.run())
      .catch((e: Error) => logger.warn(`journal recovery failed: ${e.message}`));
    sync.start();
    checkExpiries();
    reconcileTimer = scheduler.after(60_000, dailyReconcile);
  }

  return {
    dispatch,
    shopRecord,
    staffShare,
    handlers,
    db,
    mode,
    auth,
    payments,
    holds,
    savedCards,
    orders,
    catalog,
    publisher,
    sync,
    settings,
    emulator,
    gateway,
    recover,
    async close() {
      sync.stop();
      notifyTimer?.();
      reconcileTimer?.();
      await webhook?.close();
      db.close();
      await emulator?.close();
    },
  };
}

/** The key that seals the audit log's newest entry: made once, kept with the station's other secrets. */
function auditAnchorKey(secrets: SecretStore): Buffer {
  const name = 'audit-anchor-key';
  let v = secrets.get(name);
  if (!v || !/^[0-9a-f]{64}$/.test(v)) {
    v = randomBytes(32).toString('hex');
    secrets.set(name, v);
  }
  return Buffer.from(v, 'hex');
}
