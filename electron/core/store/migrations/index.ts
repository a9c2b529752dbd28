// Migrations, bundled (no folder is read at runtime) and applied in order, each in its own transaction,
// keyed on PRAGMA user_version. Append only: never edit a migration that has shipped.
import type Database from 'better-sqlite3';
import { m001Initial } from './001-initial';
import { m002OrderSearch } from './002-order-search';
import { m003OrderNumbers } from './003-order-numbers';
import { m004SharedRecord } from './004-shared-record';
import { m005ShopManager } from './005-shop-manager';
import { m006OrdersFromHolds } from './006-orders-from-holds';
import { m007MoneySignals } from './007-money-signals';
import { m008SavedCards } from './008-saved-cards';
import { m009BulkSearchIndex } from './009-bulk-search-index';
import { m010StationsAtOnce } from './010-stations-at-once';
import { m011LineRefunds } from './011-line-refunds';
import { m012OrderPlacedAt } from './012-order-placed-at';
import { m013CartPricing } from './013-cart-pricing';
import { m014OrderPricing } from './014-order-pricing';
import { m015SplitCarts } from './015-split-carts';
import { m016PaymentIntentCanceledAt } from './016-payment-intent-canceled-at';

export interface Migration {
  name: string;
  up(db: Database.Database): void;
}

export const migrations: readonly Migration[] = [
  m001Initial,
  m002OrderSearch,
  m003OrderNumbers,
  m004SharedRecord,
  m005ShopManager,
  m006OrdersFromHolds,
  m007MoneySignals,
  m008SavedCards,
  m009BulkSearchIndex,
  m010StationsAtOnce,
  m011LineRefunds,
  m012OrderPlacedAt,
  m013CartPricing,
  m014OrderPricing,
  m015SplitCarts,
  m016PaymentIntentCanceledAt,
];
export const LATEST_VERSION = migrations.length;
