// Domain objects for renderer tests.
import type { AppInfo, Cart, Hold, OrderRow, SyncHealth, User } from '../../../electron/ipc/contract';

export const manager: User = { id: 'usr_1', name: 'Maria', role: 'manager', disabled: false };
export const staff: User = { id: 'usr_2', name: 'Sam', role: 'staff', disabled: false };

export const info = (over: Partial<AppInfo> = {}): AppInfo => ({
  mode: 'emulator',
  station: 'Front desk',
  version: '0.1.0',
  stripeReachable: true,
  motoEnabled: false,
  publishableKey: null,
  emulatorUrl: 'http://127.0.0.1:1',
  clockOffsetMs: 0,
  country: 'US',
  linkMessage: 'Pay {amount} for order {order} at {shop}: {link}',
  ...over,
});

export const cart = (over: Partial<Cart> = {}): Cart => ({
  id: 'cart_1',
  status: 'open',
  phase: 'building',
  currency: 'usd',
  customer: null,
  lines: [],
  total: 0,
  waitlist: false,
  captureMethod: 'automatic',
  paymentIntentId: null,
  lastDecline: null,
  authenticationUrl: null,
  orderId: null,
  orderNumber: null,
  createdAt: 0,
  updatedAt: 0,
  createdBy: 'Maria',
  delivery: null,
  ...over,
});

export const hold = (over: Partial<Hold> = {}): Hold => ({
  paymentIntentId: 'pi_1',
  cartId: 'cart_1',
  orderId: null,
  orderNumber: null,
  customerName: 'Wendy',
  items: [{ name: 'Whisk', quantity: 1, waitlist: true, sku: 'WHISK-BAMBOO', unitAmount: 1800 }],
  currency: 'usd',
  amountAuthorized: 1800,
  amountCapturable: 1800,
  amountCaptured: 0,
  authorizedAt: 1_000,
  expiresAt: Date.now() + 5 * 86_400_000,
  status: 'authorized',
  version: 3,
  pendingAction: null,
  shippingFee: 0,
  savesCard: false,
  ...over,
});

export const orderRow = (i: number, over: Partial<OrderRow> = {}): OrderRow => ({
  id: `ord_${i}`,
  number: `A${1000 + i}`,
  paymentIntentId: `pi_${i}`,
  status: 'received',
  customerName: `Customer ${i}`,
  customerEmail: null,
  currency: 'usd',
  amountCaptured: 1000 + i,
  amountRefunded: 0,
  itemCount: 1,
  createdAt: 1_700_000_000_000 + i,
  paymentState: 'paid',
  amountTotal: 1000 + i,
  customerPhone: null,
  delivery: 'ship',
  ...over,
});

export const health = (over: Partial<SyncHealth> = {}): SyncHealth => ({
  mode: 'polling',
  running: true,
  lastEventAt: null,
  lastPollAt: null,
  lagMs: null,
  cursor: null,
  eventsApplied: 0,
  catchUp: null,
  lastError: null,
  stripeReachable: true,
  webhook: { enabled: false, port: null, received: 0 },
  fallbackNotice: null,
  ...over,
});
