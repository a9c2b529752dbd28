// What staff type, checked as they type against the same limits the IPC contract enforces (electron/ipc/limits.ts),
// so each field says what is wrong next to it — nothing is silently changed, nothing reaches main only to come
// back as "Invalid input for carts:update: customer.name: Too big…".
import { COUNTRY_PATTERN, EMAIL_PATTERN, LIMITS } from '../../electron/ipc/limits';
import { addressRules, checkRegion } from '../../electron/ipc/address';
import { checkPhone } from '../../electron/ipc/phone';

export { LIMITS };

/** "At most 200 characters (this has 5,000)." */
export function tooLong(value: string, max: number): string | null {
  return value.length > max
    ? `At most ${max.toLocaleString('en-US')} characters (this has ${value.length.toLocaleString('en-US')}).`
    : null;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * A quantity as typed: a whole number from 1 to 999, said so when it is not — "2.5", "1e3", "-3" and "999999"
 * are refused with a reason, never turned into 25, 13, 3 or 999.
 */
export function parseQuantity(text: string): Parsed<number> {
  const t = text.trim();
  if (t === '') return { ok: false, reason: 'Enter a quantity.' };
  if (/^-\d/.test(t)) return { ok: false, reason: `At least ${LIMITS.quantityMin}.` };
  if (/^\d+[.,]\d*$/.test(t)) return { ok: false, reason: 'Whole numbers only.' };
  if (!/^\d+$/.test(t)) return { ok: false, reason: 'Digits only (e.g. 2).' };
  const n = Number(t);
  if (n < LIMITS.quantityMin) return { ok: false, reason: `At least ${LIMITS.quantityMin}.` };
  if (n > LIMITS.quantityMax) return { ok: false, reason: `At most ${LIMITS.quantityMax} in one order.` };
  return { ok: true, value: n };
}

export interface CustomerFields {
  name: string;
  email: string;
  phone: string;
  line1: string;
  line2: string;
  city: string;
  postalCode: string;
  state: string;
  country: string;
}

export type CustomerErrors = Partial<Record<keyof CustomerFields, string>>;

/**
 * Every customer field's problem, if any. `required` adds what a payment needs (the name; for a shipped order
 * the address that carrier needs): shown once staff tried to pay, or left a field they had touched.
 */
export function customerErrors(
  d: CustomerFields,
  opts: { shopCountry: string; ship: boolean; required: boolean },
): CustomerErrors {
  const e: CustomerErrors = {};
  const set = (k: keyof CustomerFields, m: string | null) => {
    if (m && !e[k]) e[k] = m;
  };
  set('name', tooLong(d.name, LIMITS.customerName));
  if (opts.required && !d.name.trim()) set('name', 'Add the customer’s name.');
  const email = d.email.trim();
  set('email', tooLong(email, LIMITS.email));
  if (email && !EMAIL_PATTERN.test(email))
    set('email', 'This is not a complete email address (e.g. name@example.com).');
  const phone = d.phone.trim();
  set('phone', tooLong(phone, LIMITS.phone));
  if (phone) {
    const c = checkPhone(phone, opts.shopCountry);
    if (!c.ok) set('phone', c.reason);
  }
  set('line1', tooLong(d.line1, LIMITS.addressLine));
  set('line2', tooLong(d.line2, LIMITS.addressLine));
  set('city', tooLong(d.city, LIMITS.city));
  set('state', tooLong(d.state, LIMITS.state));
  set('postalCode', tooLong(d.postalCode, LIMITS.postalCode));
  const country = d.country.trim().toUpperCase();
  if (country && !COUNTRY_PATTERN.test(country)) set('country', 'Choose a country.');
  const rules = addressRules(country);
  const region = checkRegion(country, d.state);
  if (!region.ok) set('state', region.reason);
  const postal = d.postalCode.trim();
  if (postal && rules.postal && !rules.postal.pattern.test(postal))
    set('postalCode', `This is not a ${rules.postalLabel} (e.g. ${rules.postal.example}).`);
  const anyAddress = [d.line1, d.line2, d.city, d.postalCode, d.state].some((x) => x.trim());
  if (opts.ship && (opts.required || anyAddress)) {
    if (!d.line1.trim()) set('line1', 'Add the street address, or choose “Collected in person”.');
    if (!d.city.trim()) set('city', 'Add the town or city.');
    if (rules.stateRequired && !d.state.trim()) set('state', `Add the ${rules.stateLabel.toLowerCase()}.`);
    if (rules.postalRequired && !postal) set('postalCode', `Add the ${rules.postalLabel}.`);
    if (!country) set('country', 'Choose a country.');
  }
  return e;
}

/** PINs: digits only, as many as the contract allows. */
export function pinError(pin: string, whose = 'The PIN'): string | null {
  if (!/^\d*$/.test(pin)) return `${whose} is digits only.`;
  if (pin.length < LIMITS.pinMin || pin.length > LIMITS.pinMax)
    return `${whose} is ${LIMITS.pinMin} to ${LIMITS.pinMax} digits.`;
  return null;
}
