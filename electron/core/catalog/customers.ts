// Customers (repository for the customers table): returning customers are found by name, email or phone.
import type { Db } from '../store/db';
import type { Address, Customer, CustomerInput } from '../../ipc/contract';
import { DEFAULT_COUNTRY, phoneDigits, phoneSearchDigits } from '../../ipc/phone';

interface Row {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  shipping_json: string | null;
  tax_exempt?: string | null;
  metadata_json?: string | null;
}

/** A tax-exempt customer's reason or certificate number (kept in their metadata), or null when not exempt. */
function exemptionOf(r: Row): string | null {
  if (r.tax_exempt !== 'exempt') return null;
  let reason = '';
  try {
    reason = (JSON.parse(r.metadata_json ?? '{}') as Record<string, string>).mc_tax_exempt ?? '';
  } catch {
    /* no reason kept */
  }
  return reason.trim() || 'Tax-exempt';
}

const toCustomer = (r: Row): Customer => ({
  id: r.id,
  name: r.name,
  ...(exemptionOf(r) ? { taxExempt: exemptionOf(r) } : {}),
  ...(r.email ? { email: r.email } : {}),
  ...(r.phone ? { phone: r.phone } : {}),
  ...(r.shipping_json ? { shipping: JSON.parse(r.shipping_json) as Address } : {}),
});

export function getCustomer(db: Db, id: string): Customer | null {
  const r = db.prepare('SELECT * FROM customers WHERE id = ?').get(id) as Row | undefined;
  return r ? toCustomer(r) : null;
}

/**
 * Returning customers, looked up from whichever field staff start typing in: a name or an email (any part of
 * it), or a phone number however it is written ("555 0101", "(555) 010-1234", "+1 555…"), matched on the
 * stored number's digits (E.164's, country code included).
 */
export function searchCustomers(db: Db, query: string, limit = 10, country = DEFAULT_COUNTRY): Customer[] {
  const q = `%${query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits = phoneSearchDigits(query, country);
  return (
    db
      .prepare(
        `SELECT * FROM customers WHERE deleted = 0 AND (name LIKE @q ESCAPE '\\' OR email LIKE @q ESCAPE '\\'
           OR (@digits IS NOT NULL AND coalesce(phone_digits, replace(replace(replace(replace(replace(phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', '')) LIKE '%' || @digits || '%'))
         ORDER BY updated_at DESC LIMIT @limit`,
      )
      .all({ q, digits, limit }) as Row[]
  ).map(toCustomer);
}

/** Every customer, by name (then id, so pages never overlap), a page at a time, and how many there are. */
export function listCustomers(db: Db, offset: number, limit: number): { total: number; rows: Customer[] } {
  const total = db.prepare('SELECT count(*) FROM customers WHERE deleted = 0').pluck().get() as number;
  const rows = db
    .prepare('SELECT * FROM customers WHERE deleted = 0 ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?')
    .all(limit, offset) as Row[];
  return { total, rows: rows.map(toCustomer) };
}

/** A returning customer: the same email is the same person; without an email, the same phone (by its digits). */
export function findCustomer(db: Db, c: CustomerInput): Customer | null {
  const r = (
    c.email
      ? db
          .prepare('SELECT * FROM customers WHERE email = ? AND deleted = 0 ORDER BY updated_at DESC LIMIT 1')
          .get(c.email)
      : c.phone
        ? db
            .prepare(
              'SELECT * FROM customers WHERE (phone = ? OR phone_digits = ?) AND deleted = 0 ORDER BY updated_at DESC LIMIT 1',
            )
            .get(c.phone, phoneDigits(c.phone))
        : undefined
  ) as Row | undefined;
  return r ? toCustomer(r) : null;
}
