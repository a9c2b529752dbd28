// What a receipt, a packing slip or a shipping label shows for an order: read from the projection of the shop's
// record, so every station prints the same. The renderer lays them out; printing itself is the page's (browser
// mode: window.print) or the desktop window's (Printer, below).
import type { Db } from '../store/db';
import type { Address, CartLine, Customer, PrintDocument } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import { getOrderRow } from '../orders/orders-repo';
import { contentOf } from '../sync/shop-projection';
import { pricingViewOf, taxRefundedOf } from '../orders/order-pricing';

/**
 * The desktop window prints itself (Electron's webContents.print / printToPDF, electron/main/adapters/printer.ts).
 * Browser mode has none: the page calls window.print().
 */
export interface Printer {
  print(
    action: 'print' | 'pdf',
    filename: string | undefined,
  ): Promise<{ done: boolean; path: string | null }>;
}

export function printDocuments(db: Db, orderIds: string[]): PrintDocument[] {
  const out: PrintDocument[] = [];
  for (const orderId of orderIds) {
    const r = getOrderRow(db, orderId) as
      (ReturnType<typeof getOrderRow> & { cancelled_json: string | null; notes_json: string | null }) | null;
    if (!r) throw new AppError('not_found', `Order ${orderId} does not exist.`);
    const customer = r.customer_json
      ? (JSON.parse(r.customer_json) as Customer & { shipping_json?: string | null })
      : null;
    const ship = r.shipping_json
      ? (JSON.parse(r.shipping_json) as {
          name: string | null;
          phone: string | null;
          address: Address | null;
        })
      : null;
    const customerAddress = customer?.shipping_json ? (JSON.parse(customer.shipping_json) as Address) : null;
    const address = ship?.address ?? customerAddress;
    const charge = r.charge_id
      ? (db.prepare('SELECT card_label, receipt_email FROM charges WHERE id = ?').get(r.charge_id) as
          { card_label: string | null; receipt_email: string | null } | undefined)
      : undefined;
    const pricing = pricingViewOf(r, taxRefundedOf(db, r.payment_intent_id));
    out.push({
      orderId: r.id,
      number: `${r.station_code ?? ''}${r.number}`,
      createdAt: r.created_at,
      status: r.status,
      cancelled: r.cancelled_json !== null,
      customer: {
        name: customer?.name || r.customer_name,
        email: customer?.email ?? r.customer_email ?? null,
        phone: customer?.phone ?? ship?.phone ?? null,
      },
      shipTo: address
        ? {
            name: ship?.name || customer?.name || r.customer_name,
            phone: ship?.phone ?? customer?.phone ?? null,
            address,
          }
        : null,
      lines: JSON.parse(r.lines_json) as CartLine[],
      shippingFee: contentOf(db, r.payment_intent_id)?.shippingFee ?? 0,
      currency: r.currency,
      paid: r.amount_captured,
      refunded: r.amount_refunded,
      card: charge?.card_label ?? null,
      receiptEmail: charge?.receipt_email ?? null,
      takenBy: r.taken_by,
      ...(pricing && (pricing.discountTotal > 0 || pricing.taxMode !== null) ? { pricing } : {}),
    });
  }
  return out;
}
