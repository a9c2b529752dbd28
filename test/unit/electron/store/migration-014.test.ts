// Migration 014: an order's pricing (subtotal, discounts, tax by jurisdiction, who gave a discount, exemption)
// projected beside it, and the tax a refund took back.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion } from '../../../../electron/core/store/db';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db11-')), 'console.sqlite');

describe('migration 014-order-pricing', () => {
  it('keeps orders and refunds as they were and adds the pricing columns', () => {
    const path = tmp();
    const v13 = openDatabase(path, { targetVersion: 13 });
    v13.exec(`
      INSERT INTO orders (id, payment_intent_id, status, customer_name, lines_json, item_count, currency,
          amount_captured, created_at, updated_at, number, station_code, payment_state)
        VALUES ('ord_1', 'pi_1', 'received', 'Grace Hopper', '[]', 1, 'usd', 8900, 1000, 1000, 1042, 'A', 'paid');
      INSERT INTO refunds (id, payment_intent_id, amount, status, created_at) VALUES ('re_1', 'pi_1', 500, 'succeeded', 1);
    `);
    v13.close();
    const db = openDatabase(path, { targetVersion: 14 });
    expect(schemaVersion(db)).toBe(14);
    expect(
      db
        .prepare(
          `SELECT customer_name, amount_captured, subtotal, discount_total, tax_total, shipping_fee, shipping_tax,
             tax_json, tax_mode, tax_inclusive, tax_exempt, discount_by, discount_approved_by, discount_reasons
           FROM orders`,
        )
        .get(),
    ).toEqual({
      customer_name: 'Grace Hopper',
      amount_captured: 8900,
      subtotal: null,
      discount_total: 0,
      tax_total: 0,
      shipping_fee: 0,
      shipping_tax: 0,
      tax_json: null,
      tax_mode: null,
      tax_inclusive: 0,
      tax_exempt: null,
      discount_by: null,
      discount_approved_by: null,
      discount_reasons: null,
    });
    expect(db.prepare('SELECT amount, tax FROM refunds').get()).toEqual({ amount: 500, tax: 0 });
    // The tax mode takes only its values; STRICT keeps the amounts integers.
    expect(() => db.prepare(`UPDATE orders SET tax_mode = 'guess'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE orders SET tax_total = 'lots'`).run()).toThrow();
    db.prepare(`UPDATE orders SET tax_mode = 'stripe_tax', tax_total = 712`).run();
    db.close();
  });
});
