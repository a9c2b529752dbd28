/**
 * Conformance: Stripe Tax with PaymentIntents (docs.stripe.com/tax/payment-intent, /tax/custom,
 * /api/tax/{registrations,calculations,transactions,associations}), driven only through the SDK. Runs against
 * the emulator, and against real Stripe test mode when STRIPE_TEST_SECRET_KEY is set (the account needs Stripe
 * Tax's head office set; registrations in New York are added when missing). Only behaviour that holds for any
 * rate table is asserted here; the emulator's exact rates are in emulator-only-tax.test.ts.
 */
import type Stripe from 'stripe';
import { beforeAll, expect, it } from 'vitest';
import { checked, forEachTarget } from '../../../../helpers/emulator-target';
import type { Target } from '../../../../helpers/emulator-target';
import { SLOW, TAX_PLACES, eventually, failure, payLinked, unique } from './support';

/** Manhattan (New York State and City sales tax; registered) and Austin (no registration: not collecting). */
const { NYC, AUSTIN } = TAX_PLACES;
const GENERAL = 'txcd_99999999';
const FOOD = 'txcd_40060003';

async function ensureNewYorkRegistration(s: Stripe): Promise<void> {
  const active = await s.tax.registrations.list({ status: 'active', limit: 100 });
  checked(active);
  const ny = active.data.some(
    (r) => r.country === 'US' && (r.country_options as { us?: { state?: string } }).us?.state === 'NY',
  );
  if (!ny) {
    checked(
      await s.tax.registrations.create({
        country: 'US',
        country_options: { us: { state: 'NY', type: 'state_sales_tax' } },
        active_from: 'now',
      }),
    );
  }
}

const cart = (
  lines: Array<{ amount: number; reference: string; tax_code?: string; quantity?: number }>,
  address: Stripe.Tax.CalculationCreateParams.CustomerDetails.Address = NYC,
  extra: Partial<Stripe.Tax.CalculationCreateParams> = {},
): Stripe.Tax.CalculationCreateParams => ({
  currency: 'usd',
  line_items: lines.map((l) => ({ tax_code: GENERAL, tax_behavior: 'exclusive', ...l })),
  customer_details: { address, address_source: 'shipping' },
  ...extra,
});

async function lineItems(s: Stripe, calcId: string): Promise<Stripe.Tax.CalculationLineItem[]> {
  const list = await s.tax.calculations.listLineItems(calcId, { limit: 100 });
  checked(list);
  return list.data;
}

async function association(t: Target, piId: string, ok: (a: Stripe.Tax.Association) => boolean) {
  return eventually(
    t,
    async () => {
      try {
        return await t.stripe.tax.associations.find({ payment_intent: piId });
      } catch {
        return null;
      }
    },
    (a) => a !== null && ok(a),
  );
}

const committedTx = (a: Stripe.Tax.Association | null, source: string): string | undefined =>
  a?.tax_transaction_attempts?.find((x) => x.source === source && x.status === 'committed')?.committed
    ?.transaction;

forEachTarget('Stripe Tax', (target) => {
  const s = (): Stripe => target().stripe;
  beforeAll(async () => {
    await ensureNewYorkRegistration(s());
  });

  it('a registration is listed as active', async () => {
    const list = await s().tax.registrations.list({ status: 'active' });
    checked(list);
    const ny = list.data.find((r) => (r.country_options as { us?: { state?: string } }).us?.state === 'NY');
    expect(ny?.object).toBe('tax.registration');
    expect(ny?.status).toBe('active');
    checked(await s().tax.registrations.retrieve(ny?.id as string));
  });

  it('a calculation where the shop is registered: tax on top, a breakdown, line items, an expiry', async () => {
    const calc = checked(
      await s().tax.calculations.create(
        cart([
          { amount: 2500, reference: 'tea', quantity: 2 },
          { amount: 1000, reference: 'pot' },
        ]),
      ),
    );
    expect(calc.object).toBe('tax.calculation');
    expect(calc.id).toMatch(/^taxcalc_/);
    expect(calc.tax_amount_exclusive).toBeGreaterThan(0);
    expect(calc.tax_amount_inclusive).toBe(0);
    expect(calc.amount_total).toBe(3500 + calc.tax_amount_exclusive);
    expect(calc.tax_breakdown.length).toBeGreaterThan(0);
    expect(calc.tax_breakdown.reduce((a, b) => a + b.amount, 0)).toBe(calc.tax_amount_exclusive);
    expect(calc.tax_breakdown.every((b) => b.taxability_reason === 'standard_rated')).toBe(true);
    expect(calc.customer_details.address?.state).toBe('NY');
    expect(calc.expires_at).toBeGreaterThan(Math.floor(Date.now() / 1000) - 3600);
    const items = await lineItems(s(), calc.id as string);
    expect(items.map((i) => [i.reference, i.amount, i.quantity])).toEqual([
      ['tea', 2500, 2],
      ['pot', 1000, 1],
    ]);
    expect(items.reduce((a, i) => a + i.amount_tax, 0)).toBe(calc.tax_amount_exclusive);
    const page = await s().tax.calculations.listLineItems(calc.id as string, { limit: 1 });
    expect([page.data.length, page.has_more]).toEqual([1, true]);
    const next = await s().tax.calculations.listLineItems(calc.id as string, {
      limit: 1,
      starting_after: page.data[0]?.id as string,
    });
    expect(next.data[0]?.reference).toBe('pot');
    const withBreakdown = await s().tax.calculations.listLineItems(calc.id as string, {
      expand: ['data.tax_breakdown'],
    });
    checked(withBreakdown);
    expect(withBreakdown.data[0]?.tax_breakdown?.[0]?.jurisdiction.state).toBe('NY');
    expect(checked(await s().tax.calculations.retrieve(calc.id as string)).amount_total).toBe(
      calc.amount_total,
    );
  });

  it('tax-inclusive prices: the total stays the price; shipping is taxed on top', async () => {
    const calc = checked(
      await s().tax.calculations.create(
        cart([{ amount: 1000, reference: 'tea' }], NYC, { shipping_cost: { amount: 500 } }),
      ),
    );
    expect(calc.shipping_cost?.amount).toBe(500);
    expect(calc.shipping_cost?.tax_code).toBe('txcd_92010001');
    expect(calc.amount_total).toBe(1500 + calc.tax_amount_exclusive);
    const inclusive = checked(
      await s().tax.calculations.create({
        ...cart([{ amount: 1000, reference: 'tea' }]),
        line_items: [{ amount: 1000, reference: 'tea', tax_code: GENERAL, tax_behavior: 'inclusive' }],
      }),
    );
    expect(inclusive.amount_total).toBe(1000);
    expect(inclusive.tax_amount_inclusive).toBeGreaterThan(0);
    expect(inclusive.tax_amount_exclusive).toBe(0);
    expect(inclusive.tax_breakdown.every((b) => b.inclusive)).toBe(true);
  });

  it('no registration: no tax, not_collecting', async () => {
    const calc = checked(
      await s().tax.calculations.create(cart([{ amount: 2000, reference: 'tea' }], AUSTIN)),
    );
    expect([calc.tax_amount_exclusive, calc.amount_total]).toEqual([0, 2000]);
    expect(calc.tax_breakdown.map((b) => b.taxability_reason)).toEqual(['not_collecting']);
  });

  it('exempt customers (override, or a Customer with tax_exempt) and exempt food pay no tax', async () => {
    const override = checked(
      await s().tax.calculations.create({
        ...cart([{ amount: 2000, reference: 'tea' }]),
        customer_details: {
          address: NYC,
          address_source: 'shipping',
          taxability_override: 'customer_exempt',
        },
      }),
    );
    expect([override.tax_amount_exclusive, override.tax_breakdown[0]?.taxability_reason]).toEqual([
      0,
      'customer_exempt',
    ]);
    const cus = await s().customers.create({
      name: 'Tax-exempt school',
      tax_exempt: 'exempt',
      shipping: { name: 'School office', address: NYC },
    });
    expect(cus.tax_exempt).toBe('exempt');
    const byCustomer = checked(
      await s().tax.calculations.create({
        currency: 'usd',
        customer: cus.id,
        line_items: [{ amount: 2000, reference: 'tea', tax_code: GENERAL, tax_behavior: 'exclusive' }],
      }),
    );
    expect(byCustomer.customer).toBe(cus.id);
    expect(byCustomer.customer_details.taxability_override).toBe('customer_exempt');
    expect(byCustomer.customer_details.address_source).toBe('shipping');
    expect(byCustomer.tax_amount_exclusive).toBe(0);
    const food = checked(
      await s().tax.calculations.create(cart([{ amount: 800, reference: 'bread', tax_code: FOOD }])),
    );
    expect([food.tax_amount_exclusive, food.tax_breakdown[0]?.taxability_reason]).toEqual([
      0,
      'product_exempt',
    ]);
  });

  it("a customer Stripe Tax can't locate is customer_tax_location_invalid", async () => {
    const cus = await s().customers.create({
      name: 'Nowhere',
      shipping: { name: 'Nowhere', address: { country: 'US', postal_code: '1', line1: 'x' } },
    });
    const err = await failure(
      s().tax.calculations.create({
        currency: 'usd',
        customer: cus.id,
        line_items: [{ amount: 2000, reference: 'tea', tax_code: GENERAL }],
      }),
    );
    expect(err.statusCode).toBe(400);
    expect(err.type).toBe('StripeInvalidRequestError');
    expect(err.code).toBe('customer_tax_location_invalid');
  });

  it(
    'a PaymentIntent linked to a calculation commits a tax transaction when it succeeds',
    async () => {
      const calc = await s().tax.calculations.create(cart([{ amount: 4200, reference: 'kettle' }]));
      const pi = checked(await payLinked(s(), calc));
      expect(pi.status).toBe('succeeded');
      expect(pi.hooks?.inputs?.tax?.calculation).toBe(calc.id);
      const a = await association(target(), pi.id, (x) => committedTx(x, pi.id) !== undefined);
      checked(a);
      expect(a?.calculation).toBe(calc.id);
      const tx = checked(await s().tax.transactions.retrieve(committedTx(a, pi.id) as string));
      expect([tx.type, tx.reference, tx.currency]).toEqual(['transaction', pi.id, 'usd']);
      const items = await s().tax.transactions.listLineItems(tx.id);
      checked(items);
      expect(items.data.map((i) => [i.reference, i.amount, i.amount_tax])).toEqual([
        ['kettle', 4200, calc.tax_amount_exclusive],
      ]);
    },
    SLOW,
  );

  it(
    'a hold captured by lines: the capture carries a new calculation, and only it is committed',
    async () => {
      const both = await s().tax.calculations.create(
        cart([
          { amount: 3000, reference: 'tea' },
          { amount: 2000, reference: 'pot' },
        ]),
      );
      const pi = await payLinked(s(), both, { capture_method: 'manual' });
      expect(pi.status).toBe('requires_capture');
      const before = await s().tax.associations.find({ payment_intent: pi.id });
      expect(committedTx(before, pi.id)).toBeUndefined();
      const teaOnly = await s().tax.calculations.create(cart([{ amount: 3000, reference: 'tea' }]));
      const captured = checked(
        await s().paymentIntents.capture(pi.id, {
          amount_to_capture: teaOnly.amount_total,
          hooks: { inputs: { tax: { calculation: teaOnly.id as string } } },
        }),
      );
      expect([captured.status, captured.amount_received]).toEqual(['succeeded', teaOnly.amount_total]);
      const a = await association(target(), pi.id, (x) => committedTx(x, pi.id) !== undefined);
      expect(a?.calculation).toBe(teaOnly.id);
      const items = await s().tax.transactions.listLineItems(committedTx(a, pi.id) as string);
      expect(items.data.map((i) => i.reference)).toEqual(['tea']);
    },
    SLOW,
  );

  it(
    'refunds are reversed: a partial refund by its amount, the rest in full; the reversals add up',
    async () => {
      const calc = await s().tax.calculations.create(
        cart([
          { amount: 3000, reference: 'tea' },
          { amount: 2000, reference: 'pot' },
        ]),
      );
      const pi = await payLinked(s(), calc);
      const a0 = await association(target(), pi.id, (x) => committedTx(x, pi.id) !== undefined);
      const txId = committedTx(a0, pi.id) as string;
      const r1 = await s().refunds.create({ payment_intent: pi.id, amount: 1000 });
      const a1 = await association(target(), pi.id, (x) => committedTx(x, r1.id) !== undefined);
      const rev1 = checked(await s().tax.transactions.retrieve(committedTx(a1, r1.id) as string));
      expect([rev1.type, rev1.reversal?.original_transaction]).toEqual(['reversal', txId]);
      const lines1 = (await s().tax.transactions.listLineItems(rev1.id)).data;
      expect(lines1.every((l) => l.type === 'reversal' && l.amount <= 0 && l.amount_tax <= 0)).toBe(true);
      expect(lines1.reduce((x, l) => x + l.amount + l.amount_tax, 0)).toBe(-1000);
      const r2 = await s().refunds.create({ payment_intent: pi.id });
      const a2 = await association(target(), pi.id, (x) => committedTx(x, r2.id) !== undefined);
      const lines2 = (await s().tax.transactions.listLineItems(committedTx(a2, r2.id) as string)).data;
      const taxBack = [...lines1, ...lines2].reduce((x, l) => x + l.amount_tax, 0);
      expect(taxBack).toBe(-calc.tax_amount_exclusive);
      expect([...lines1, ...lines2].reduce((x, l) => x + l.amount + l.amount_tax, 0)).toBe(
        -calc.amount_total,
      );
    },
    SLOW,
  );

  it('the manual flow: create_from_calculation once, then reversals by line and in full', async () => {
    const calc = await s().tax.calculations.create(
      cart([
        { amount: 3000, reference: 'tea' },
        { amount: 2000, reference: 'pot' },
      ]),
    );
    const ref = unique('order_');
    const tx = checked(
      await s().tax.transactions.createFromCalculation({ calculation: calc.id as string, reference: ref }),
    );
    expect([tx.type, tx.reference]).toEqual(['transaction', ref]);
    const again = await failure(
      s().tax.transactions.createFromCalculation({ calculation: calc.id as string, reference: `${ref}_2` }),
    );
    expect(again.statusCode).toBe(400);
    const taken = await failure(
      s().tax.transactions.createFromCalculation({
        calculation: (await s().tax.calculations.create(cart([{ amount: 100, reference: 'x' }])))
          .id as string,
        reference: ref,
      }),
    );
    expect(taken.statusCode).toBe(400);
    const items = (await s().tax.transactions.listLineItems(tx.id)).data;
    const pot = items.find((i) => i.reference === 'pot') as Stripe.Tax.TransactionLineItem;
    const partial = checked(
      await s().tax.transactions.createReversal({
        mode: 'partial',
        original_transaction: tx.id,
        reference: `${ref}_refund_1`,
        line_items: [
          {
            original_line_item: pot.id,
            reference: 'pot',
            amount: -pot.amount,
            amount_tax: -pot.amount_tax,
          },
        ],
      }),
    );
    const pl = (await s().tax.transactions.listLineItems(partial.id)).data;
    expect(pl.map((l) => [l.reversal?.original_line_item, l.amount, l.amount_tax])).toEqual([
      [pot.id, -pot.amount, -pot.amount_tax],
    ]);
    const tea = items.find((i) => i.reference === 'tea') as Stripe.Tax.TransactionLineItem;
    checked(
      await s().tax.transactions.createReversal({
        mode: 'partial',
        original_transaction: tx.id,
        reference: `${ref}_refund_2`,
        line_items: [
          { original_line_item: tea.id, reference: 'tea', amount: -tea.amount, amount_tax: -tea.amount_tax },
        ],
      }),
    );
    const other = await s().tax.transactions.createFromCalculation({
      calculation: (await s().tax.calculations.create(cart([{ amount: 700, reference: 'cup' }])))
        .id as string,
      reference: `${ref}_b`,
    });
    const full = checked(
      await s().tax.transactions.createReversal({
        mode: 'full',
        original_transaction: other.id,
        reference: `${ref}_b_refund`,
      }),
    );
    expect([full.type, full.reversal?.original_transaction]).toEqual(['reversal', other.id]);
    const fl = (await s().tax.transactions.listLineItems(full.id)).data;
    const ol = (await s().tax.transactions.listLineItems(other.id)).data;
    expect(fl.map((l) => [l.amount, l.amount_tax])).toEqual(ol.map((l) => [-l.amount, -l.amount_tax]));
  });

  it('a PaymentIntent without a calculation has no association (404)', async () => {
    const pi = await s().paymentIntents.create({
      amount: 1000,
      currency: 'usd',
      allowed_payment_method_types: ['card'],
    });
    const err = await failure(s().tax.associations.find({ payment_intent: pi.id }));
    expect(err.statusCode).toBe(404);
    expect(err.code).toBe('resource_missing');
  });
});
