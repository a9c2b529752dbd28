import { formatMoney } from '../lib/money';

/** An amount in minor units, formatted for its currency; tabular figures so columns line up. */
export function Money({
  amount,
  currency,
  className,
}: {
  amount: number;
  currency: string;
  className?: string;
}) {
  return <span className={`money ${className ?? ''}`.trim()}>{formatMoney(amount, currency)}</span>;
}
