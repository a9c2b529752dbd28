// One handler per channel. `satisfies Handlers` makes a channel without a handler a compile error. Roles
// are enforced here, from main's session for the calling window — never from anything the renderer sends.
import type { Db } from './store/db';
import type { CardEntry, Clock, DesktopHandoff, IdGenerator } from './ports';
import type { Mode } from '../ipc/contract';
import { AppError } from '../ipc/errors';
import type { Handlers } from './dispatch';
import type { AuthService } from './auth/auth-service';
import type { SettingsStore } from './settings/settings-store';
import type { PaymentsService } from './payments/payments-service';
import type { HoldsService } from './payments/holds-service';
import type { SavedCardsService } from './payments/saved-cards-service';
import type { OrdersService } from './orders/orders-service';
import type { SyncEngine } from './sync/sync-engine';
import type { Reconciler } from './sync/reconcile';
import type { EmulatorHandle } from './services';
import { searchProducts } from './catalog/products';
import type { CatalogService } from './catalog/catalog-service';
import { codeConflict, stationCode, stationsSeen } from './station/station';
import { claimStationCode } from './station/station-claim';
import type { StripeGateway } from './stripe/gateway';
import type { Settings } from '../ipc/contract';
import { searchCustomers, listCustomers } from './catalog/customers';
import { appendAudit, searchAudit, verifyAudit } from './audit/audit-log';
import { listMoneyActions } from './orders/money-actions';
import { coverableHolds, getCatalogItem, listCatalog } from './catalog/catalog-list';
import type { GlanceService } from './glance/glance-service';
import { shopSettings } from './glance/shop-settings';
import type { ShopRecord } from './settings/shop-record';
import { readShopTax, shopTaxPatch } from './settings/shop-tax-record';
import type { StaffShare } from './auth/staff-shared';
import type { CustomersService } from './customers/customers-service';
import type { OrderExtrasService } from './orders/order-extras';
import { printDocuments, type Printer } from './printing/print-documents';
import { checkCartBeforePay } from './payments/pay-guard';

export interface HandlerDeps {
  mode: Mode;
  version: string;
  clock: Clock;
  ids: IdGenerator;
  db: Db;
  auth: AuthService;
  settings: SettingsStore;
  payments: PaymentsService;
  holds: HoldsService;
  savedCards: SavedCardsService;
  orders: OrdersService;
  sync: SyncEngine;
  reconciler: Reconciler;
  catalog: CatalogService;
  /** The Stripe gateway (a station code's claim is made through it). */
  gateway: () => StripeGateway;
  /** Stripe's now (ms), from its answers' Date headers. */
  stripeNow: () => number;
  /** Which Stripe this is, in words, for Settings. */
  shop: string;
  emulator: EmulatorHandle | null;
  requestRestart: () => void;
  /** Live card entry in a window of its own (Electron); null in browser mode. */
  cardEntry: CardEntry | null;
  glance: GlanceService;
  customers: CustomersService;
  orderExtras: OrderExtrasService;
  /** The shop's settings in Stripe (name, zone, fee, address, phone country, message for links). */
  shopRecord: ShopRecord;
  /** The shop's staff in Stripe (auth/staff-shared.ts). */
  staffShare: StaffShare;
  /** Resolves once this station read the shop's staff at start (or gave up for now). */
  staffReady: () => Promise<unknown>;
  /** The desktop window printing itself (Electron); null in browser mode, where the page prints. */
  printer: Printer | null;
  handoff: DesktopHandoff | null;
}

export function createHandlers(d: HandlerDeps): Handlers {
  const { auth } = d;
  // An account changed here goes to the shop's staff record in Stripe; if Stripe can't be reached it is sent
  // with the next start (or minute), and the change is in force at this station meanwhile.
  const share = (userId: string) => d.staffShare.publish([userId]).catch(() => undefined);
  const audit = (
    actor: { name: string; station: string },
    action: string,
    subject: string,
    before: unknown,
    after: unknown,
  ) =>
    appendAudit(d.db, {
      at: d.clock.now(),
      actor: actor.name,
      station: actor.station,
      action,
      subject,
      before,
      after,
    });

  const settingsView = (): Settings => {
    const conflict = codeConflict(d.db);
    return {
      ...d.settings.view(),
      stationCode: stationCode(d.db),
      shop: d.shop,
      stations: stationsSeen(d.db).map((s) => ({
        code: s.code,
        name: s.name,
        lastSeen: s.lastSeen,
        thisStation: s.thisStation,
      })),
      stationCodeConflict: conflict
        ? `Station "${conflict.name}" also takes orders as ${conflict.code}. Give one of the two stations another code in Settings, or order numbers will repeat.`
        : null,
    };
  };

  return {
    'app:info': () => ({
      mode: d.mode,
      station: d.settings.station,
      version: d.version,
      stripeReachable: d.sync.isReachable,
      motoEnabled: d.settings.motoEnabled,
      publishableKey: d.settings.publishableKey,
      emulatorUrl: d.emulator?.url ?? null,
      // Stripe's clock minus this machine's: hold countdowns run on Stripe's time (the training clock too).
      clockOffsetMs: Math.round(d.stripeNow() - Date.now()),
      country: d.settings.country,
      linkMessage: d.settings.linkMessage,
    }),
    'auth:status': async (_i, ctx) => {
      // A station joining a shop has the shop's people once it read them: no second manager to set up.
      if (auth.needsSetup()) await d.staffReady();
      return { needsSetup: auth.needsSetup(), user: auth.current(ctx) };
    },
    'auth:setup': async (i, ctx) => {
      const user = auth.setup(i.name, i.pin, ctx);
      await share(user.id);
      audit({ name: user.name, station: d.settings.station }, 'user.created', user.id, null, {
        name: user.name,
        role: user.role,
        firstRun: true,
      });
      return user;
    },
    'auth:login': (i, ctx) => auth.login(i.name, i.pin, ctx),
    'auth:logout': (_i, ctx) => {
      auth.logout(ctx);
      return null;
    },
    'auth:changePin': async (i, ctx) => {
      const user = auth.changeOwnPin(ctx, i.currentPin, i.newPin);
      await share(user.id);
      audit({ name: user.name, station: d.settings.station }, 'user.pin_changed', user.id, null, {
        by: 'themselves',
      });
      return user;
    },

    'users:list': (_i, ctx) => {
      auth.require(ctx, 'manager');
      return auth.list();
    },
    'users:create': async (i, ctx) => {
      const actor = auth.requireManagerPin(ctx, i.managerPin);
      const user = auth.create(i.name, i.role, i.pin);
      await share(user.id);
      audit(actor, 'user.created', user.id, null, { name: user.name, role: user.role });
      return user;
    },
    'users:update': async (i, ctx) => {
      const actor = auth.requireManagerPin(ctx, i.managerPin);
      const user = auth.update(
        i.userId,
        {
          ...(i.role ? { role: i.role } : {}),
          ...(i.disabled !== undefined ? { disabled: i.disabled } : {}),
          ...(i.pin ? { pin: i.pin } : {}),
        },
        actor,
      );
      audit(actor, 'user.updated', user.id, null, {
        role: i.role,
        disabled: i.disabled,
        pinChanged: i.pin !== undefined,
      });
      await share(user.id);
      return user;
    },

    'products:search': (i, ctx) => {
      auth.require(ctx);
      return searchProducts(d.db, i.query, i.limit);
    },
    // Prices and stock counts are the shop's record: a manager's to change, as the catalog is theirs to see.
    'products:save': async (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      const clash = d.db
        .prepare('SELECT id FROM products WHERE sku = ? AND id != ? AND active = 1')
        .get(i.sku, i.id ?? '') as { id: string } | undefined;
      if (clash) throw new AppError('conflict', `Another product already has SKU ${i.sku}.`);
      return d.catalog.save(i, actor);
    },
    'customers:search': (i, ctx) => {
      auth.require(ctx);
      return searchCustomers(d.db, i.query, 10, d.settings.country);
    },
    'customers:list': (i, ctx) => {
      auth.require(ctx);
      return listCustomers(d.db, i.offset, i.limit);
    },

    'carts:create': (i, ctx) => d.payments.create(i.currency, auth.require(ctx)),
    'carts:get': (i, ctx) => {
      auth.require(ctx);
      return d.payments.get(i.cartId);
    },
    'carts:listOpen': (_i, ctx) => {
      auth.require(ctx);
      return d.payments.listOpen();
    },
    'carts:update': (i, ctx) => {
      const actor = auth.require(ctx);
      const pin = i.approvalPin;
      return d.payments.update(
        i.cartId,
        {
          customer: i.customer,
          delivery: i.delivery,
          lines: i.lines,
          shippingFee: i.shippingFee,
          discounts: i.discounts,
          // The manager's PIN is checked in main, only when a discount above the shop's limit needs it.
          approve: pin ? () => auth.approveByManagerPin(pin) : undefined,
        },
        actor,
      );
    },
    'carts:discard': (i, ctx) => d.payments.discard(i.cartId, auth.require(ctx)),
    'carts:splitWaiting': (i, ctx) =>
      d.payments.splitWaiting(i.cartId, i.productId, i.quantity, auth.require(ctx)),
    'carts:dropWaiting': (i, ctx) => d.payments.dropWaiting(i.cartId, auth.require(ctx)),

    'payments:inProgress': (_i, ctx) => {
      auth.require(ctx);
      return d.payments.listInProgress();
    },
    'payments:cancelInProgress': (i, ctx) =>
      d.payments.cancelInProgress(i.paymentIntentId, auth.require(ctx)),
    'payments:testCards': (_i, ctx) => {
      auth.require(ctx);
      return d.payments.testCards();
    },
    'payments:pay': (i, ctx) => {
      const actor = auth.require(ctx);
      checkCartBeforePay(d.db, i.cartId, i.expectedTotal);
      return d.payments.pay(
        i.cartId,
        i.paymentMethod,
        i.moto,
        actor,
        {
          waitlist: i.waitlist,
          saveCard: i.saveCard,
          consentText: i.consentText,
          expectedArrival: i.expectedArrival,
        },
        i.expectedWaitingTotal,
      );
    },
    'payments:authenticate': (i, ctx) => d.payments.authenticate(i.cartId, auth.require(ctx)),
    'payments:refresh': (i, ctx) => d.payments.refresh(i.cartId, auth.require(ctx)),
    'payments:linkSent': (i, ctx) => {
      const actor = auth.require(ctx);
      const cart = d.payments.get(i.cartId);
      audit(actor, 'payment.link_sent', i.cartId, null, {
        via: i.via,
        to: i.to ?? null,
        paymentIntentId: cart.paymentIntentId,
      });
      return cart;
    },
    'payments:collectCard': async (i, ctx) => {
      auth.require(ctx);
      if (!d.cardEntry)
        throw new AppError('not_available', 'Card entry in a window of its own is part of the desktop app.');
      const publishableKey = d.settings.publishableKey;
      if (!publishableKey)
        throw new AppError(
          'precondition_failed',
          'Add the publishable key (pk_…) in Settings to take card payments.',
        );
      return d.cardEntry.collect({
        publishableKey,
        customerName: i.customerName,
        amountLabel: i.amountLabel,
      });
    },

    'holds:list': (i, ctx) => {
      auth.require(ctx);
      return d.holds.list(i.include);
    },
    'holds:capture': (i, ctx) =>
      d.holds.capture(i.paymentIntentId, i.amount, i.version, auth.requireManagerPin(ctx, i.pin), i.lines),
    'holds:release': (i, ctx) =>
      d.holds.release(i.paymentIntentId, i.version, auth.requireManagerPin(ctx, i.pin), i.keepCard ?? false),

    'waitlist:options': (i, ctx) => {
      auth.require(ctx);
      return d.savedCards.options(i.cartId, i.expectedArrival);
    },
    'waitlist:list': (_i, ctx) => {
      auth.require(ctx);
      return d.savedCards.list();
    },
    // Charging a saved card moves money: a manager, PIN re-entered.
    // The station first catches up with Stripe's events (it may have been away for a day); if it can't, nothing
    // is charged. The charge itself then reads the order's PaymentIntents from Stripe (saved-cards-service).
    'waitlist:chargeSaved': async (i, ctx) => {
      const actor = auth.requireManagerPin(ctx, i.pin);
      await catchUp(d.sync);
      return d.savedCards.chargeSaved(i.cartId, actor, i.lines, i.expectedAmount);
    },
    'waitlist:payLink': (i, ctx) => d.savedCards.paymentLink(i.cartId, auth.require(ctx)),
    // Staff on the phone with the customer take another card, as at the phone checkout.
    'waitlist:payByPhone': async (i, ctx) => {
      const actor = auth.require(ctx);
      if (i.moto && !d.settings.motoEnabled)
        throw new AppError('precondition_failed', 'MOTO payments are not enabled in Settings.');
      await catchUp(d.sync); // never act on a copy that is behind Stripe (saved-cards-service reads Stripe too)
      return d.savedCards.payByPhone(i.cartId, i.paymentMethod, i.moto, actor);
    },
    'waitlist:authenticate': (i, ctx) => d.savedCards.authenticate(i.cartId, auth.require(ctx)),
    'customers:savedCards': (i, ctx) => {
      auth.require(ctx);
      return d.savedCards.savedCards(i.customerId);
    },
    'customers:removeCard': (i, ctx) =>
      d.savedCards.removeCard(i.customerId, i.paymentMethodId, auth.require(ctx)),

    'orders:list': (i, ctx) => {
      auth.require(ctx);
      const { offset, limit, ...filter } = i;
      return d.orders.list(filter, offset, limit);
    },
    'orders:get': (i, ctx) => {
      auth.require(ctx);
      return d.orders.get(i.orderId);
    },
    'orders:advance': (i, ctx) =>
      d.orders.advance(i.orderIds, i.to, i.carrier, i.trackingNumber, auth.require(ctx), i.shipments),
    'orders:exportCsv': (i, ctx) => {
      auth.require(ctx);
      const { layout, timeZone, ...filter } = i;
      // The shop's zone unless one is asked for: the CSV says what every station's screen says.
      return d.orders.exportCsv(filter, layout, timeZone ?? shopSettings(d.db).timeZone);
    },
    'orders:refund': (i, ctx) =>
      d.orders.refund(
        i.orderId,
        i.amount,
        i.expectedRefunded,
        i.reason,
        auth.requireManagerPin(ctx, i.pin),
        i.line,
      ),

    'sync:status': (_i, ctx) => {
      auth.require(ctx);
      return d.sync.health();
    },
    'sync:events': (i, ctx) => {
      auth.require(ctx);
      return d.sync.recentEvents(i.limit);
    },
    'sync:reconcile': async (_i, ctx) => {
      auth.require(ctx, 'manager');
      const report = await d.reconciler.run();
      d.sync.acknowledgeFallback();
      return report;
    },
    'sync:fix': async (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      const r = await d.reconciler.fix(i.driftId);
      audit(actor, 'reconcile.fixed', i.driftId, null, null);
      return r;
    },

    'audit:list': (i, ctx) => {
      auth.require(ctx, 'manager');
      const { limit, offset, ...filter } = i;
      return searchAudit(d.db, filter, limit, offset);
    },
    'audit:moneyActions': (i, ctx) => {
      auth.require(ctx, 'manager');
      return listMoneyActions(d.db, i.limit);
    },
    'audit:verify': (_i, ctx) => {
      auth.require(ctx, 'manager');
      return verifyAudit(d.db);
    },

    'settings:get': (_i, ctx) => {
      auth.require(ctx);
      return settingsView();
    },
    'settings:update': async (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      const before = settingsView();
      const { stationCode: code, country, linkMessage, ...rest } = i;
      // The phone country and the message for links are the shop's (kept in Stripe); the rest is this station's.
      if (country !== undefined || linkMessage !== undefined)
        await d.shopRecord.update({
          ...(country !== undefined ? { country } : {}),
          ...(linkMessage !== undefined ? { linkMessage } : {}),
        });
      // A code is claimed in Stripe first: refused, naming the station, when another holds it.
      if (code && code !== stationCode(d.db))
        await claimStationCode(d.db, d.gateway(), d.settings.station, code);
      d.settings.update(rest);
      const after = settingsView();
      audit(actor, 'settings.updated', 'settings', before, after);
      return after;
    },
    'settings:setSecretKey': (i, ctx) => {
      const actor = auth.requireManagerPin(ctx, i.managerPin);
      const before = settingsView();
      d.settings.setSecretKey(i.secretKey);
      const after = settingsView();
      audit(
        actor,
        'settings.secret_key_changed',
        'settings',
        { mode: before.mode, hint: before.secretKeyHint },
        { mode: after.mode, hint: after.secretKeyHint },
      );
      if (after.mode !== d.mode) d.requestRestart();
      return after;
    },

    'catalog:list': (i, ctx) => {
      auth.require(ctx, 'manager');
      return listCatalog(d.db, i.query, i.include, i.limit);
    },
    'catalog:receive': async (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      await d.catalog.receive(i.productId, i.quantity, actor, i.deliveryId);
      return {
        product: getCatalogItem(d.db, i.productId)!,
        coverable: coverableHolds(d.db, d.holds.list('open')),
      };
    },
    'catalog:coverable': (_i, ctx) => {
      auth.require(ctx, 'manager');
      return coverableHolds(d.db, d.holds.list('open'));
    },
    'glance:day': (i, ctx) => {
      auth.require(ctx);
      return d.glance.day(i.day);
    },
    'shop:settings': (_i, ctx) => {
      auth.require(ctx);
      return shopSettings(d.db);
    },
    'tax:settings': (_i, ctx) => {
      auth.require(ctx);
      return readShopTax(d.db);
    },
    'tax:update': async (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      const before = readShopTax(d.db);
      // Kept in Stripe with the shop's other settings: every station prices carts the same way.
      await d.shopRecord.update(shopTaxPatch(i));
      const after = readShopTax(d.db);
      audit(actor, 'shop.tax_updated', 'shop', before, after);
      return after;
    },
    'shop:update': async (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      const before = shopSettings(d.db);
      // Kept in Stripe, where every station reads them; this station's copy follows Stripe's answer.
      await d.shopRecord.update(i);
      const after = shopSettings(d.db);
      audit(actor, 'shop.updated', 'shop', before, after);
      return after;
    },
    'customers:get': (i, ctx) => {
      auth.require(ctx);
      return d.customers.get(i.customerId);
    },
    'customers:addNote': (i, ctx) => d.customers.addNote(i.customerId, i.text, auth.require(ctx)),
    'customers:removeNote': (i, ctx) => d.customers.removeNote(i.customerId, i.noteId, auth.require(ctx)),
    'orders:extras': (i, ctx) => {
      auth.require(ctx);
      return d.orderExtras.extras(i.orderId);
    },
    'orders:addNote': (i, ctx) => d.orderExtras.addNote(i.orderId, i.text, auth.require(ctx)),
    'orders:removeNote': (i, ctx) => d.orderExtras.removeNote(i.orderId, i.noteId, auth.require(ctx)),
    'orders:cancel': (i, ctx) =>
      d.orderExtras.cancel(
        i.orderId,
        i.reason,
        i.note,
        i.expectedRefunded,
        auth.requireManagerPin(ctx, i.pin),
      ),
    'receipts:resend': (i, ctx) => d.orderExtras.resendReceipt(i.orderId, i.email, auth.require(ctx)),
    'print:documents': (i, ctx) => {
      auth.require(ctx);
      return printDocuments(d.db, i.orderIds);
    },
    'print:page': (i, ctx) => {
      auth.require(ctx);
      if (!d.printer)
        throw new AppError(
          'not_available',
          'Printing through the desktop window is part of the desktop app; in a browser the page prints itself.',
        );
      return d.printer.print(i.action, i.filename);
    },

    'clipboard:write': (i, ctx) => {
      auth.require(ctx);
      if (!d.handoff) throw new AppError('not_available', 'In a browser the page copies by itself.');
      return { copied: d.handoff.copy(i.text) };
    },
    'links:open': async (i, ctx) => {
      auth.require(ctx);
      if (!d.handoff) throw new AppError('not_available', 'In a browser the page opens links by itself.');
      return { opened: await d.handoff.openExternal(i.url) };
    },

    'emulator:advanceClock': (i, ctx) => {
      const actor = auth.require(ctx, 'manager');
      if (!d.emulator)
        throw new AppError(
          'not_available',
          'The training clock exists only in the offline demo (emulator mode).',
        );
      d.emulator.advanceClock(i.seconds);
      audit(actor, 'training.clock_advanced', 'emulator', null, { seconds: i.seconds });
      d.sync.poke();
      return { now: d.emulator.now() };
    },
  } satisfies Handlers;
}

/** Apply every event Stripe has that this station has not seen, or refuse: never act on a copy that is behind. */
async function catchUp(sync: { pollOnce(): Promise<number> }): Promise<void> {
  try {
    for (let i = 0; i < 50; i++) if ((await sync.pollOnce()) === 0) return;
  } catch {
    // unreachable, or Stripe refused: said below
  }
  // Still behind after that (or Stripe out of reach): nothing is charged on a copy that is not in step.
  throw new AppError(
    'stripe_unavailable',
    'This station can’t catch up with Stripe right now, so nothing was charged. Try again when the sync line says it is in step.',
  );
}
