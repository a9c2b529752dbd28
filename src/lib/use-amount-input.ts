// A money amount typed by a person: kept as text while typed, parsed exactly into minor units (never via
// floats), and checked against what the action allows (above zero, at most `max`).
import { useState } from 'react';
import { formatMoney, parseMoney, toInputString } from './money';

export interface AmountInput {
  text: string;
  setText(text: string): void;
  /** The amount in minor units when the text is valid and within bounds; otherwise null. */
  amount: number | null;
  /** Why the text is not acceptable, in words for the person typing; null when it is. */
  error: string | null;
}

/** `verb` finishes "At most $X can be …" ("captured", "refunded"). */
export function useAmountInput(
  initial: number | null,
  currency: string,
  max: number,
  verb: string,
): AmountInput {
  // null: the field starts empty (nothing is assumed for the person — e.g. how much to refund).
  const [text, setText] = useState(() => (initial === null ? '' : toInputString(initial, currency)));
  const parsed = parseMoney(text, currency);
  const error = !parsed.ok
    ? parsed.reason
    : parsed.amount <= 0
      ? 'Enter an amount above zero.'
      : parsed.amount > max
        ? `At most ${formatMoney(max, currency)} can be ${verb}.`
        : null;
  return { text, setText, amount: parsed.ok && !error ? parsed.amount : null, error };
}
