// The order's price as Stripe records it: subtotal, discount (why, who gave it, who allowed it), shipping, tax by
// jurisdiction (or "included", or the customer's exemption), the total, and the tax that refunds took back.
import type { OrderDetail, OrderPricingView } from '../../../electron/ipc/contract';
import { Money } from '../../components/Money';
import { ratePercent } from '../printing/documents';

const MODE_WORDS: Record<NonNullable<OrderPricingView['taxMode']>, string> = {
  none: 'No tax',
  rates: 'the shop’s rates',
  stripe_tax: 'Stripe Tax',
};

export function OrderPricingTable({ order }: { order: OrderDetail }) {
  const p = order.pricing;
  if (!p || (p.discountTotal === 0 && p.taxMode === null)) return null;
  const c = order.currency;
  const who = [
    p.discountBy && `given by ${p.discountBy}`,
    p.discountApprovedBy && `allowed by ${p.discountApprovedBy}`,
  ]
    .filter(Boolean)
    .join(', ');
  const taxLabel = p.taxInclusive ? 'Includes tax' : 'Tax';
  const rows = p.breakdown.filter((b) => b.amount > 0);
  return (
    <table className="table table--compact pricing" aria-label="Price">
      <tbody>
        <tr>
          <th scope="row">Subtotal</th>
          <td className="num">
            <Money amount={p.subtotal} currency={c} />
          </td>
        </tr>
        {p.discountTotal > 0 && (
          <tr>
            <th scope="row">
              Discount
              {p.discountReasons.length > 0 && ` — ${p.discountReasons.join(', ')}`}
              {who && <span className="small muted"> ({who})</span>}
            </th>
            <td className="num">
              −<Money amount={p.discountTotal} currency={c} />
            </td>
          </tr>
        )}
        {p.shippingFee > 0 && (
          <tr>
            <th scope="row">Shipping</th>
            <td className="num">
              <Money amount={p.shippingFee} currency={c} />
            </td>
          </tr>
        )}
        {p.taxExempt && p.taxTotal === 0 ? (
          <tr>
            <th scope="row">Tax exempt ({p.taxExempt})</th>
            <td className="num">
              <Money amount={0} currency={c} />
            </td>
          </tr>
        ) : rows.length > 0 ? (
          rows.map((b) => (
            <tr key={`${b.jurisdiction}|${b.ratePpm}`}>
              <th scope="row">
                {taxLabel}: {b.jurisdiction} {ratePercent(b.ratePpm)}
              </th>
              <td className="num">
                <Money amount={b.amount} currency={c} />
              </td>
            </tr>
          ))
        ) : (
          p.taxMode !== null && (
            <tr>
              <th scope="row">
                {taxLabel}
                {p.taxTotal === 0 && p.taxMode !== 'none' && (
                  <span className="small muted"> (none collected here — {MODE_WORDS[p.taxMode]})</span>
                )}
              </th>
              <td className="num">
                <Money amount={p.taxTotal} currency={c} />
              </td>
            </tr>
          )
        )}
        <tr className="pricing__total">
          <th scope="row">Total</th>
          <td className="num">
            <Money amount={p.total} currency={c} />
          </td>
        </tr>
        {p.taxRefunded > 0 && (
          <tr>
            <th scope="row">Tax refunded</th>
            <td className="num">
              −<Money amount={p.taxRefunded} currency={c} />
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
