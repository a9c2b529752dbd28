// Phone numbers, the same on both sides of the IPC (the renderer checks and formats them as staff type; the core
// normalizes what it stores and searches): libphonenumber-js with the shop's country as the default, so
// "(555) 010-1234" typed in a US shop is +15550101234, and a number with "+44…" keeps its own country.
// Numbers are stored in E.164 (Stripe keeps what it is sent), and searched by their digits.
import {
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
  type CountryCode,
} from 'libphonenumber-js';

export const DEFAULT_COUNTRY = 'US';

const countryOf = (c: string | null | undefined): CountryCode =>
  (c && isSupportedCountry(c) ? c : DEFAULT_COUNTRY) as CountryCode;

export type PhoneCheck =
  | { ok: true; e164: string; national: string; international: string; country: string | null }
  | { ok: false; reason: string };

/** Only what a phone number is written with: digits, spaces and punctuation, at most one leading "+". */
const PHONE_CHARS = /^\+?[\d\s().\-/]+$/;

/**
 * Is `text` a phone number a shop could call? Checked for length against the number's country (a possible
 * number, not necessarily one in service: "(555) 010-1234" is fine in a demo). Empty text is not checked here.
 */
export function checkPhone(text: string, shopCountry: string | null | undefined): PhoneCheck {
  const t = text.trim();
  if (!PHONE_CHARS.test(t))
    return {
      ok: false,
      reason: 'Use digits only, with spaces, dashes or brackets if you like (e.g. (555) 010-1234).',
    };
  const digits = t.replace(/\D/g, '');
  const country = countryOf(shopCountry);
  const p = parsePhoneNumberFromString(t, country);
  if (!p || !p.isPossible()) {
    if (digits.length < 6) return { ok: false, reason: 'This phone number is too short.' };
    return {
      ok: false,
      reason: t.startsWith('+')
        ? 'This is not a complete phone number for its country code.'
        : `This is not a complete ${country} phone number. For another country, start with + and its code.`,
    };
  }
  return {
    ok: true,
    e164: p.number,
    national: p.formatNational(),
    international: p.formatInternational(),
    country: p.country ?? null,
  };
}

/** The number as it is stored and sent to Stripe: E.164 when it is a possible number, else as typed. */
export function normalizePhone(text: string, shopCountry: string | null | undefined): string {
  const c = checkPhone(text, shopCountry);
  return c.ok ? c.e164 : text.trim();
}

/** The digits a stored number is searched by (E.164's digits: country code included). */
export function phoneDigits(stored: string | null | undefined): string | null {
  if (!stored) return null;
  const d = stored.replace(/\D/g, '');
  return d.length ? d : null;
}

/**
 * The digits to look for when someone searches by phone, however they typed it — "555", "(555) 010-1234",
 * "+1 555-010-1234", "020 7946 0018" in a UK shop — or null when the query is not a phone number at all.
 * A full number is looked for by its national digits (found whether it was stored with its country code or
 * not); a fragment by its digits, without a national trunk "0".
 */
export function phoneSearchDigits(q: string, shopCountry: string | null | undefined): string | null {
  const t = q.trim();
  if (!PHONE_CHARS.test(t)) return null;
  const digits = t.replace(/\D/g, '');
  if (digits.length < 3) return null;
  const plus = t.startsWith('+');
  const p = parsePhoneNumberFromString(t, countryOf(shopCountry));
  const found = p?.isPossible() ? (plus ? p.number.slice(1) : p.nationalNumber) : digits;
  // A national trunk "0" is not part of the stored number (dropping a leading digit only widens the match).
  return !plus && found.length > 3 && found.startsWith('0') ? found.slice(1) : found;
}

/** For reading: national format for the shop's own country, international for others; as stored otherwise. */
export function formatPhone(
  stored: string | null | undefined,
  shopCountry: string | null | undefined,
): string {
  if (!stored) return '';
  const home = countryOf(shopCountry);
  const p = parsePhoneNumberFromString(stored, home);
  if (!p) return stored;
  return p.countryCallingCode === getCountryCallingCode(home) ? p.formatNational() : p.formatInternational();
}

/** The number for a tel:/sms: link (E.164 when possible). */
export function phoneUri(stored: string, shopCountry: string | null | undefined): string {
  const p = parsePhoneNumberFromString(stored, countryOf(shopCountry));
  return p?.number ?? stored.replace(/[^\d+]/g, '');
}
