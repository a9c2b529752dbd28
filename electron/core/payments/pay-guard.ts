// What main checks before any charge or hold, whatever the renderer showed: every line of the cart is a
// whole quantity of at least one (a cart row written by an older build, or by hand, may hold anything), and
// the total is the one the pay button named when staff pressed it. Either failing charges nothing.
import type { CartLine } from '../../ipc/contract';
import { formatMoney } from '../../ipc/money';
import { AppError } from '../../ipc/errors';
import type { Db } from '../store/db';
import { getCartRow } from './carts';

export function checkCartBeforePay(db: Db, cartId: string, expectedTotal?: number): void {
  const row = getCartRow(db, cartId);
  if (!row) return; // the payments service says "not found" in its own words
  const lines = JSON.parse(row.lines_json) as CartLine[];
  const bad = lines.find((l) => !Number.isSafeInteger(l.quantity) || l.quantity < 1);
  if (bad)
    throw new AppError(
      'invalid_input',
      `The quantity of ${bad.name} (${String(bad.quantity)}) is not a whole number of at least 1: nothing was charged.`,
    );
  if (expectedTotal !== undefined && row.total !== expectedTotal)
    throw new AppError(
      'conflict',
      `The order’s total is ${formatMoney(row.total, row.currency)}, not the ${formatMoney(expectedTotal, row.currency)} shown: nothing was charged. Check the order and press again.`,
    );
}
