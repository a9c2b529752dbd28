// What goes on paper: a receipt, a packing slip (items, quantities, ship-to, the order number as text and as a
// barcode), a shipping label (the ship-to address), and the end-of-day summary. Plain markup styled by
// printing.css, the same on screen (the preview) and on paper.
import type {
  Address,
  DayFigures,
  OrderPricingView,
  OrderRow,
  PrintDocument,
  ShopSettings,
} from '../../../electron/ipc/contract';
import { formatDateTime } from '../../lib/format';
import { formatMoney } from '../../lib/money';
import { Barcode } from './Barcode';
import { formatInZone } from '../glance/zone';
import { formatPhone } from '../../../electron/ipc/phone';
import { useSessionStore } from '../../stores/session-store';

const shopName = (shop: ShopSettings | null) => shop?.name ?? 'Our shop';

/** An order's state in a word or two: cancelled, awaiting stock (a hold), hold released, or its fulfillment. */
export function orderState(o: OrderRow): string {
  if (o.cancelled) return 'cancelled';
  if (o.paymentState === 'authorized') return 'awaiting stock';
  if (o.paymentState === 'canceled') return 'hold released';
  return o.status;
}

/** An address as printed lines: street, city with state and postal code, country. */
export function addressLines(a: Address): string[] {
  const place = [a.city, [a.state, a.postalCode].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return [a.line1, a.line2 ?? '', place, a.country].filter((l) => l.trim().length > 0);
}

function AddressBlock({ doc }: { doc: PrintDocument }) {
  // The number as people write it: "(555) 010-1234" at home, "+44 20 7946 0958" from abroad (not "+15550101234").
  const country = useSessionStore((s) => s.info?.country ?? 'US');
  if (!doc.shipTo)
    return <p className="doc__muted">No ship-to address on this order (collected in person).</p>;
  return (
    <address className="doc__address">
      <strong>{doc.shipTo.name}</strong>
      {addressLines(doc.shipTo.address).map((l, i) => (
        <span key={i}>{l}</span>
      ))}
      {doc.shipTo.phone && <span>Tel. {formatPhone(doc.shipTo.phone, country)}</span>}
    </address>
  );
}

/** "8.875%" from parts per million, without floats. */
export function ratePercent(ppm: number): string {
  const frac = String(ppm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${Math.floor(ppm / 10_000)}${frac ? `.${frac}` : ''}%`;
}

/** The receipt's tax: one row per jurisdiction (or "included" when prices include it), or the exemption. */
function TaxRows({ pricing, currency }: { pricing: OrderPricingView; currency: string }) {
  if (pricing.taxExempt && pricing.taxTotal === 0)
    return (
      <tr>
        <th scope="row" colSpan={3}>
          Tax exempt ({pricing.taxExempt})
        </th>
        <td className="num">{formatMoney(0, currency)}</td>
      </tr>
    );
  if (pricing.taxTotal === 0) return null;
  const rows = pricing.breakdown.filter((b) => b.amount > 0);
  const label = pricing.taxInclusive ? 'Includes tax' : 'Tax';
  if (rows.length === 0)
    return (
      <tr>
        <th scope="row" colSpan={3}>
          {label}
        </th>
        <td className="num">{formatMoney(pricing.taxTotal, currency)}</td>
      </tr>
    );
  return (
    <>
      {rows.map((b) => (
        <tr key={`${b.jurisdiction}|${b.ratePpm}`}>
          <th scope="row" colSpan={3}>
            {label}: {b.jurisdiction} {ratePercent(b.ratePpm)}
          </th>
          <td className="num">{formatMoney(b.amount, currency)}</td>
        </tr>
      ))}
    </>
  );
}

export function Receipt({ doc, shop }: { doc: PrintDocument; shop: ShopSettings | null }) {
  const items = doc.lines.reduce((n, l) => n + l.lineTotal, 0);
  return (
    <article className="doc doc--receipt" aria-label={`Receipt for order ${doc.number}`}>
      <header className="doc__head">
        <h1 className="doc__shop">{shopName(shop)}</h1>
        <p className="doc__title">Receipt — order {doc.number}</p>
        <p className="doc__muted">{formatDateTime(doc.createdAt)}</p>
      </header>
      <p>
        {doc.customer.name}
        {doc.customer.email ? ` · ${doc.customer.email}` : ''}
      </p>
      <table className="doc__table">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">
              Qty
            </th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.lines.map((l) => (
            <tr key={l.sku}>
              <td>
                {l.name} <span className="doc__muted">{l.sku}</span>
              </td>
              <td className="num">{l.quantity}</td>
              <td className="num">{formatMoney(l.unitAmount, doc.currency)}</td>
              <td className="num">{formatMoney(l.lineTotal, doc.currency)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3}>
              Items
            </th>
            <td className="num">{formatMoney(items, doc.currency)}</td>
          </tr>
          {doc.pricing && doc.pricing.discountTotal > 0 && (
            <tr>
              <th scope="row" colSpan={3}>
                Discount
                {doc.pricing.discountReasons.length ? ` (${doc.pricing.discountReasons.join(', ')})` : ''}
              </th>
              <td className="num">−{formatMoney(doc.pricing.discountTotal, doc.currency)}</td>
            </tr>
          )}
          {doc.shippingFee > 0 && (
            <tr>
              <th scope="row" colSpan={3}>
                Shipping
              </th>
              <td className="num">{formatMoney(doc.shippingFee, doc.currency)}</td>
            </tr>
          )}
          {doc.pricing && <TaxRows pricing={doc.pricing} currency={doc.currency} />}
          <tr className="doc__total">
            <th scope="row" colSpan={3}>
              Paid{doc.card ? ` (${doc.card})` : ''}
            </th>
            <td className="num">{formatMoney(doc.paid, doc.currency)}</td>
          </tr>
          {doc.refunded > 0 && (
            <tr>
              <th scope="row" colSpan={3}>
                Refunded
                {doc.pricing && doc.pricing.taxRefunded > 0
                  ? ` (tax ${formatMoney(doc.pricing.taxRefunded, doc.currency)} of it)`
                  : ''}
              </th>
              <td className="num">−{formatMoney(doc.refunded, doc.currency)}</td>
            </tr>
          )}
        </tfoot>
      </table>
      {doc.cancelled && <p className="doc__stamp">Cancelled</p>}
      <p className="doc__muted">Thank you for your order.</p>
    </article>
  );
}

export function PackingSlip({ doc, shop }: { doc: PrintDocument; shop: ShopSettings | null }) {
  return (
    <article className="doc doc--slip" aria-label={`Packing slip for order ${doc.number}`}>
      <header className="doc__head doc__head--row">
        <div>
          <h1 className="doc__shop">{shopName(shop)}</h1>
          {shop?.address && <p className="doc__muted doc__address">{shop.address}</p>}
          <p className="doc__title">Packing slip</p>
          <p className="doc__muted">Ordered {formatDateTime(doc.createdAt)}</p>
        </div>
        <div className="doc__barcode">
          <Barcode value={doc.number} label={`Barcode of order ${doc.number}`} />
          <p className="doc__number">Order {doc.number}</p>
        </div>
      </header>
      <section className="doc__section">
        <h2 className="doc__h">Ship to</h2>
        <AddressBlock doc={doc} />
      </section>
      <table className="doc__table">
        <thead>
          <tr>
            <th scope="col" className="doc__check">
              <span className="sr-only">Packed</span>
            </th>
            <th scope="col">Item</th>
            <th scope="col">SKU</th>
            <th scope="col" className="num">
              Qty
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.lines.map((l) => (
            <tr key={l.sku}>
              <td className="doc__check">☐</td>
              <td>{l.name}</td>
              <td>{l.sku}</td>
              <td className="num">{l.quantity}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="doc__muted">
        {doc.lines.reduce((n, l) => n + l.quantity, 0)} item(s) · taken by {doc.takenBy ?? '—'}
      </p>
      {doc.cancelled && <p className="doc__stamp">Cancelled — do not ship</p>}
    </article>
  );
}

export function ShippingLabel({ doc, shop }: { doc: PrintDocument; shop: ShopSettings | null }) {
  return (
    <article className="doc doc--label" aria-label={`Shipping label for order ${doc.number}`}>
      <p className="doc__muted doc__address">
        From: {shopName(shop)}
        {shop?.address ? `\n${shop.address}` : ''}
      </p>
      <div className="doc__label-to">
        <AddressBlock doc={doc} />
      </div>
      <div className="doc__label-foot">
        <Barcode value={doc.number} label={`Barcode of order ${doc.number}`} />
        <span className="doc__number">Order {doc.number}</span>
      </div>
    </article>
  );
}

export function DaySummary({ figures, shop }: { figures: DayFigures; shop: ShopSettings | null }) {
  const c = figures.currency;
  return (
    <article className="doc doc--summary" aria-label={`End-of-day summary for ${figures.day}`}>
      <header className="doc__head">
        <h1 className="doc__shop">{shopName(shop)}</h1>
        <p className="doc__title">End-of-day summary — {figures.day}</p>
        <p className="doc__muted">
          Counted in {figures.timeZone} · printed {formatInZone(figures.at, figures.timeZone)}
        </p>
      </header>
      <table className="doc__table doc__table--figures">
        <tbody>
          <tr>
            <th scope="row">Sales ({figures.sales.count} orders)</th>
            <td className="num">{formatMoney(figures.sales.amount, c)}</td>
          </tr>
          <tr>
            <th scope="row">Refunds ({figures.refunds.count})</th>
            <td className="num">−{formatMoney(figures.refunds.amount, c)}</td>
          </tr>
          <tr className="doc__total">
            <th scope="row">Net</th>
            <td className="num">{formatMoney(figures.net, c)}</td>
          </tr>
          {figures.discounts && figures.discounts.count > 0 && (
            <tr>
              <th scope="row">Discounts given ({figures.discounts.count}; sales are net of them)</th>
              <td className="num">{formatMoney(figures.discounts.amount, c)}</td>
            </tr>
          )}
          {figures.tax && (figures.tax.collected > 0 || figures.tax.refunded > 0) && (
            <>
              <tr>
                <th scope="row">Tax collected (in the sales)</th>
                <td className="num">{formatMoney(figures.tax.collected, c)}</td>
              </tr>
              {figures.tax.byJurisdiction.map((j) => (
                <tr key={j.name} className="doc__sub">
                  <th scope="row">· {j.name}</th>
                  <td className="num">{formatMoney(j.amount, c)}</td>
                </tr>
              ))}
              {figures.tax.refunded > 0 && (
                <tr>
                  <th scope="row">Tax refunded</th>
                  <td className="num">−{formatMoney(figures.tax.refunded, c)}</td>
                </tr>
              )}
            </>
          )}
          <tr>
            <th scope="row">Holds open ({figures.holds.count})</th>
            <td className="num">{formatMoney(figures.holds.amount, c)}</td>
          </tr>
          <tr>
            <th scope="row">Cancelled orders</th>
            <td className="num">{figures.cancelled}</td>
          </tr>
          <tr>
            <th scope="row">Open disputes ({figures.disputes.count})</th>
            <td className="num">{formatMoney(figures.disputes.amount, c)}</td>
          </tr>
        </tbody>
      </table>
      {figures.otherCurrencies > 0 && (
        <p className="doc__muted">
          {figures.otherCurrencies} order(s) in other currencies are not in these figures.
        </p>
      )}
      <h2 className="doc__h">Items sold</h2>
      {figures.items.length === 0 ? (
        <p className="doc__muted">None.</p>
      ) : (
        <table className="doc__table">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="num">
                Qty
              </th>
              <th scope="col" className="num">
                Amount
              </th>
            </tr>
          </thead>
          <tbody>
            {figures.items.map((i) => (
              <tr key={i.sku}>
                <td>
                  {i.name} <span className="doc__muted">{i.sku}</span>
                </td>
                <td className="num">{i.quantity}</td>
                <td className="num">{formatMoney(i.amount, c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 className="doc__h">Orders</h2>
      {figures.orders.length === 0 ? (
        <p className="doc__muted">None.</p>
      ) : (
        <table className="doc__table">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Time</th>
              <th scope="col">Customer</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Captured
              </th>
            </tr>
          </thead>
          <tbody>
            {figures.orders.map((o) => (
              <tr key={o.id}>
                <td>{o.number}</td>
                <td>{formatInZone(o.createdAt, figures.timeZone)}</td>
                <td>{o.customerName}</td>
                <td>{orderState(o)}</td>
                <td className="num">{formatMoney(o.amountCaptured, o.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {figures.refundList.length > 0 && (
        <>
          <h2 className="doc__h">Refunds</h2>
          <table className="doc__table">
            <tbody>
              {figures.refundList.map((r, i) => (
                <tr key={i}>
                  <td>{r.orderNumber ? `Order ${r.orderNumber}` : 'Order'}</td>
                  <td>{formatInZone(r.at, figures.timeZone)}</td>
                  <td>{r.reason?.replace(/_/g, ' ') ?? ''}</td>
                  <td className="num">−{formatMoney(r.amount, c)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </article>
  );
}
