// Orders as CSV for the people who read them outside the console: an accountant (number, local date and time,
// amounts in the currency's decimals with the currency, payment state) and a packer (items, address, phone,
// tracking). One row per order, or one per item line. Every cell is quoted; a cell that a spreadsheet would run
// as a formula is neutralised.
import type { Address, CartLine, OrderFilter } from '../../ipc/contract';
import type { Db } from '../store/db';
import { formatAddress } from '../../ipc/address';
import { minorToDecimalString } from '../../ipc/money';
import { formatPhone } from '../../ipc/phone';
import { iterateOrders, paymentStateOf, type OrderDbRow } from './orders-repo';
import type { RecordedJurisdiction } from './pricing-metadata';

export type CsvLayout = 'orders' | 'lines';

const PAYMENT_WORDS: Record<string, string> = {
  paid: 'Paid',
  partially_refunded: 'Partly refunded',
  refunded: 'Refunded',
  authorized: 'Awaiting stock (card held)',
  canceled: 'Cancelled (hold released)',
};

export function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote always; neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** A formatter for yyyy-mm-dd and HH:mm in `timeZone` (the machine's zone when it is not a zone Intl knows). */
function localParts(timeZone: string | undefined): (ms: number) => { date: string; time: string } {
  let f: Intl.DateTimeFormat;
  try {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    f = new Intl.DateTimeFormat('en-CA', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  }
  return (ms) => {
    const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
    return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
  };
}

function addressOf(r: OrderDbRow): Address | null {
  try {
    if (r.shipping_json) return (JSON.parse(r.shipping_json) as { address?: Address }).address ?? null;
    const c = r.customer_json ? (JSON.parse(r.customer_json) as { shipping_json?: string | null }) : null;
    return c?.shipping_json ? (JSON.parse(c.shipping_json) as Address) : null;
  } catch {
    return null;
  }
}

function phoneOf(r: OrderDbRow): string | null {
  try {
    return r.customer_json
      ? ((JSON.parse(r.customer_json) as { phone?: string | null }).phone ?? null)
      : null;
  } catch {
    return null;
  }
}

/** The order's state in the words the Orders screen uses (src/features/orders/order-words.tsx). */
export const statusWords = (
  r: Pick<OrderDbRow, 'status' | 'delivery' | 'payment_state' | 'cancelled_json' | 'card_wait'>,
): string => {
  if (r.cancelled_json || r.payment_state === 'canceled') return 'Cancelled';
  if (r.payment_state === 'authorized' || r.card_wait) return 'Awaiting stock';
  if (r.status === 'shipped' && r.delivery === 'collect') return 'Collected';
  return r.status.charAt(0).toUpperCase() + r.status.slice(1);
};

/** How the payment reads: a saved card waiting is not a hold (nothing is held on it). */
const paymentWords = (r: OrderDbRow, holdStatus: (piId: string) => string | undefined): string => {
  if (r.card_wait && r.payment_state !== 'canceled')
    return r.card_wait === 'action_needed'
      ? 'Awaiting stock (customer action needed)'
      : 'Awaiting stock (card saved)';
  if (r.payment_state === 'canceled' && r.card_wait) return 'Cancelled (not charged)';
  // A saved-card order cancelled before its charge on arrival (no hold): by the shop, or in Stripe's Dashboard.
  if (r.payment_state === 'canceled' && holdStatus(r.payment_intent_id) === undefined)
    return r.cancelled_json ? 'Cancelled (not charged)' : 'Cancelled outside the console (not charged)';
  // A hold the bank let lapse was not released by anyone.
  if (r.payment_state === 'canceled' && holdStatus(r.payment_intent_id) === 'expired')
    return 'Cancelled (hold lapsed)';
  return PAYMENT_WORDS[paymentStateOf(r)] ?? '';
};

/**
 * The order's total as the Orders screen shows it: what was charged (captured; refunds are in their own column),
 * the amount held or to be charged while it awaits stock, nothing for a hold released or lapsed.
 */
export const totalOf = (
  r: Pick<OrderDbRow, 'payment_state' | 'amount_captured' | 'amount_total' | 'card_wait'>,
): number => {
  if (r.payment_state === 'canceled') return r.amount_captured;
  if (r.payment_state === 'authorized') return r.amount_total ?? r.amount_captured;
  return r.amount_captured;
};

/** 88 750 ppm → "8.875" (no float: string work on the integer). */
function ppmToPercentText(ppm: number): string {
  const whole = Math.floor(ppm / 10_000);
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}

/** An order's pricing cells (see the header): blank where the order predates migration 011. */
function pricingCells(
  r: OrderDbRow,
  taxRefunded: number,
  money: (n: number, currency: string) => string,
): (string | null)[] {
  if (r.subtotal === null || r.subtotal === undefined) return ['', '', '', '', '', '', '', '', ''];
  const m = (v: number) => money(v, r.currency);
  const discount = r.discount_total ?? 0;
  const tax = r.tax_total ?? 0;
  const fee = r.shipping_fee ?? 0;
  const by = [r.discount_by, r.discount_approved_by ? `allowed by ${r.discount_approved_by}` : null]
    .filter(Boolean)
    .join(', ');
  return [
    m(r.subtotal),
    m(discount),
    by,
    m(fee),
    m(r.shipping_tax ?? 0),
    m(tax),
    m(taxRefunded),
    r.tax_exempt ?? '',
    m(r.subtotal - discount + fee + (r.tax_inclusive === 1 ? 0 : tax)),
  ];
}

export function ordersCsv(
  db: Db,
  filter: OrderFilter,
  opts: { layout: CsvLayout; timeZone?: string | undefined; country: string },
): { csv: string; rows: number } {
  const when = localParts(opts.timeZone);
  const money = (n: number, currency: string) => minorToDecimalString(n, currency);
  const head =
    opts.layout === 'orders'
      ? [
          'Order',
          'Date',
          'Time',
          'Customer',
          'Email',
          'Phone',
          'Address',
          'Items',
          'Currency',
          'Total',
          'Captured',
          'Refunded',
          'Payment',
          'Status',
          'Delivery',
          'Carrier',
          'Tracking',
        ]
      : [
          'Order',
          'Date',
          'Time',
          'Customer',
          'Phone',
          'Address',
          'SKU',
          'Item',
          'Quantity',
          'Unit price',
          'Line total',
          'Currency',
          'Payment',
          'Status',
          'Tracking',
        ];
  const out: string[] = [];
  // Tax and discounts go at the end of an order row (after any column others add): subtotal, discount, who gave
  // it, shipping and its tax, tax, tax refunded, exemption, the grand total, then one column per jurisdiction
  // seen in the export ("Tax: New York City 4.875% (US-NY)") — what a bookkeeper sums to file each return.
  const pricingHead = [
    'Subtotal',
    'Discount',
    'Discount by',
    'Shipping',
    'Shipping tax',
    'Tax',
    'Tax refunded',
    'Tax exempt',
    'Grand total',
  ];
  const jurisdictions = new Map<string, number>();
  const perOrderTax: Map<number, number>[] = [];
  const currencies: string[] = [];
  const refundedTax = db.prepare(
    `SELECT coalesce(sum(tax), 0) FROM refunds WHERE payment_intent_id = ? AND status NOT IN ('failed', 'canceled')`,
  );
  let n = 0;
  const holdStatusOf = db.prepare('SELECT status FROM holds WHERE payment_intent_id = ?').pluck();
  const holdStatus = (piId: string) => holdStatusOf.get(piId) as string | undefined;
  for (const r of iterateOrders(db, filter, opts.country)) {
    n++;
    const { date, time } = when(r.created_at);
    const number = `${r.station_code ?? ''}${r.number}`;
    const address = addressOf(r);
    const addressText = address ? formatAddress(address, opts.country).join(', ') : '';
    const phone = phoneOf(r);
    const phoneText = phone ? formatPhone(phone, opts.country) : '';
    const lines = JSON.parse(r.lines_json) as CartLine[];
    const cur = r.currency.toUpperCase();
    const payment = paymentWords(r, holdStatus);
    const delivery = r.delivery === 'collect' ? 'Collect in person' : r.delivery === 'ship' ? 'Ship' : '';
    if (opts.layout === 'orders') {
      out.push(
        [
          number,
          date,
          time,
          r.customer_name,
          r.customer_email,
          phoneText,
          addressText,
          lines.map((l) => `${l.quantity} × ${l.name} (${l.sku})`).join('; '),
          cur,
          money(totalOf(r), r.currency),
          money(r.amount_captured, r.currency),
          money(r.amount_refunded, r.currency),
          payment,
          statusWords(r),
          delivery,
          r.carrier,
          r.tracking_number,
          ...pricingCells(r, refundedTax.pluck().get(r.payment_intent_id) as number, money),
        ]
          .map(csvCell)
          .join(','),
      );
      const byJurisdiction = new Map<number, number>();
      for (const b of r.tax_json ? (JSON.parse(r.tax_json) as RecordedJurisdiction[]) : []) {
        // Named, rated and placed: "Tax: New York City 4.875% (US-NY)" (one place's return is its columns).
        const name = `Tax: ${b.jurisdiction} ${ppmToPercentText(b.ratePpm)}% (${[b.country, b.state].filter(Boolean).join('-')})`;
        if (!jurisdictions.has(name)) jurisdictions.set(name, jurisdictions.size);
        const col = jurisdictions.get(name)!;
        byJurisdiction.set(col, (byJurisdiction.get(col) ?? 0) + b.amount);
      }
      perOrderTax.push(byJurisdiction);
      currencies.push(r.currency);
    } else {
      for (const l of lines)
        out.push(
          [
            number,
            date,
            time,
            r.customer_name,
            phoneText,
            addressText,
            l.sku,
            l.name,
            l.quantity,
            money(l.unitAmount, r.currency),
            money(l.unitAmount * l.quantity, r.currency),
            cur,
            payment,
            statusWords(r),
            r.tracking_number,
          ]
            .map(csvCell)
            .join(','),
        );
    }
  }
  const names = [...jurisdictions.keys()];
  const header =
    opts.layout === 'orders' ? [...head, ...pricingHead, ...names].map(csvCell) : head.map(csvCell);
  const rows =
    opts.layout === 'orders'
      ? out.map(
          (row, i) =>
            row +
            names
              .map((_, col) => {
                const v = perOrderTax[i]!.get(col);
                return ',' + csvCell(v === undefined ? '' : money(v, currencies[i]!));
              })
              .join(''),
        )
      : out;
  // A byte-order mark so spreadsheet programs read the names' accents as UTF-8.
  return { csv: '\ufeff' + [header.join(','), ...rows].join('\r\n') + '\r\n', rows: n };
}
