// What never goes into a log file or a diagnostics bundle a shop sends to someone: secrets (Stripe keys,
// webhook secrets, client secrets, bearer tokens, PINs), card data (a card number, a CVC, an expiry next to
// them) and full addresses (the street lines and postal code; the city and country stay, they help to read a
// tax or shipping problem). Applied to every line before it is written, main's and the renderer's alike.
import { luhn } from '../../ipc/luhn';

const SECRET_PATTERNS: [RegExp, string][] = [
  // Stripe secret, restricted and publishable keys; webhook signing secrets.
  [/\b(sk|rk)_(live|test)_[A-Za-z0-9]{6,}/g, '$1_$2_[redacted]'],
  [/\bwhsec_[A-Za-z0-9]{6,}/g, 'whsec_[redacted]'],
  // A PaymentIntent's or SetupIntent's client secret: the id stays, the secret part goes.
  [/\b((?:pi|seti)_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+/g, '$1_secret_[redacted]'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  // The bridge's token in a URL fragment or query.
  [/([#?&]token=)[A-Za-z0-9_-]+/g, '$1[redacted]'],
];

/** Keys whose values are removed wherever they appear as `"key": value` or `key=value`. */
const SENSITIVE_KEYS = [
  'pin',
  'password',
  'secret',
  'secretKey',
  'secret_key',
  'apiKey',
  'api_key',
  'client_secret',
  'clientSecret',
  'cvc',
  'cvv',
  'exp_month',
  'exp_year',
  'expMonth',
  'expYear',
  'number',
  'line1',
  'line2',
  'postal_code',
  'postalCode',
  'street',
  'address_line1',
  'address_line2',
];
// "key": "value" | "key": 123 (JSON), key=value / key: value (plain text, up to a separator). In plain text
// "number" is too common a word ("order number: 1042") to hide; a card number there is caught by the Luhn check.
const JSON_KEY = new RegExp(
  `("(?:${SENSITIVE_KEYS.join('|')})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d+)`,
  'gi',
);
const TEXT_KEY = new RegExp(
  `\\b((?:${SENSITIVE_KEYS.filter((k) => k !== 'number').join('|')})\\s*[=:]\\s*)(?!\\[redacted\\]|")([^,;&}\\n"]+)`,
  'gi',
);

/** 13–19 digits, optionally grouped by spaces or dashes, passing the Luhn check: a card number. */
const CARD_CANDIDATE = /\b\d(?:[ -]?\d){12,18}\b/g;

export { luhn };

export function redact(text: string): string {
  let out = text;
  for (const [re, to] of SECRET_PATTERNS) out = out.replace(re, to);
  out = out.replace(JSON_KEY, '$1"[redacted]"');
  out = out.replace(TEXT_KEY, '$1[redacted]');
  out = out.replace(CARD_CANDIDATE, (m) => {
    const digits = m.replace(/[ -]/g, '');
    return luhn(digits) ? `[card ••••${digits.slice(-4)}]` : m;
  });
  return out;
}
