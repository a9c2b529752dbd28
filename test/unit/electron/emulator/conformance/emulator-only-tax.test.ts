/**
 * Emulator-only: Stripe Tax against the emulator's own rate table (electron/emulator/tax-table.ts) with the demo
 * seed's registrations (New York, California, Washington, Germany), so amounts can be stated exactly; and what
 * needs the emulator's clock or options: calculation and registration expiry, the association's errored
 * attempts, the amount-mismatch option. Real Stripe's rates differ, so none of this runs against it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../../electron/emulator/index';
import { seedEmulator } from '../../../../../electron/emulator/seed';
import { checked, emulatorTarget } from '../../../../helpers/emulator-target';
import type { Target } from '../../../../helpers/emulator-target';
import { TAX_PLACES, failure, payLinked } from './support';

const T0 = Date.UTC(2026, 10, 2, 15, 0, 0);
const DAY = 86_400;
const { NYC, AUSTIN } = TAX_PLACES;
const ALBANY = { line1: '1 Commerce Plaza', city: 'Albany', postal_code: '12207', country: 'US' };
const LA = {
  line1: '200 N Spring St',
  city: 'Los Angeles',
  state: 'CA',
  postal_code: '90012',
  country: 'US',
};
const BERLIN = { line1: 'Unter den Linden 1', city: 'Berlin', postal_code: '10117', country: 'DE' };

type Line = Stripe.Tax.CalculationCreateParams.LineItem;
const calcFor = (
  s: Stripe,
  lines: Line[],
  address: Stripe.Tax.CalculationCreateParams.CustomerDetails.Address,
  extra: Partial<Stripe.Tax.CalculationCreateParams> = {},
): Promise<Stripe.Tax.Calculation> =>
  s.tax.calculations.create({
    currency: 'usd',
    line_items: lines,
    customer_details: { address, address_source: 'shipping' },
    ...extra,
  });

describe('emulator-only: Stripe Tax on the demo rate table', () => {
  let t: Target & { emulator: RunningEmulator };
  let s: Stripe;
  beforeAll(async () => {
    t = await emulatorTarget({ clock: { now: () => T0 } });
    s = t.stripe;
    await seedEmulator(t.emulator, 'demo');
  });
  afterAll(() => t.close());
  const now = (): number => Math.floor(t.emulator.now() / 1000);

  it('the demo seed registers New York, California, Washington and Germany, once', async () => {
    await seedEmulator(t.emulator, 'demo');
    const regs = checked(await s.tax.registrations.list({ status: 'active' })).data;
    const places = regs
      .map((r) => `${r.country}${(r.country_options as { us?: { state: string } }).us?.state ?? ''}`)
      .sort();
    expect(places).toEqual(['DE', 'USCA', 'USNY', 'USWA']);
  });

  it('New York City: 4 % state and 4.875 % city per line, half up; shipping taxed; a breakdown by rate', async () => {
    const calc = checked(
      await calcFor(
        s,
        [
          { amount: 2500, reference: 'tea', tax_code: 'txcd_99999999' },
          { amount: 1000, reference: 'pot' },
        ],
        NYC,
        { shipping_cost: { amount: 500 } },
      ),
    );
    // tea: 100 + 121.875 → 122; pot: 40 + 48.75 → 49; shipping: 20 + 24.375 → 24.
    expect(calc.tax_amount_exclusive).toBe(100 + 122 + 40 + 49 + 20 + 24);
    expect(calc.amount_total).toBe(4000 + 355);
    expect(calc.shipping_cost).toMatchObject({ amount: 500, amount_tax: 44, tax_code: 'txcd_92010001' });
    expect(
      calc.tax_breakdown.map((b) => [b.tax_rate_details.percentage_decimal, b.amount, b.taxable_amount]),
    ).toEqual([
      ['4', 160, 4000],
      ['4.875', 195, 4000],
    ]);
    const items = checked(
      await s.tax.calculations.listLineItems(calc.id as string, { expand: ['data.tax_breakdown'] }),
    );
    expect(
      items.data[0]?.tax_breakdown?.map((b) => [b.jurisdiction.display_name, b.jurisdiction.level, b.amount]),
    ).toEqual([
      ['New York', 'state', 100],
      ['New York City', 'city', 122],
    ]);
    expect(items.data[1]?.tax_code).toBe('txcd_99999999'); // the account's preset for a line without one
  });

  it('Albany: the state is taken from the ZIP code, state rate only', async () => {
    const calc = checked(await calcFor(s, [{ amount: 1000, reference: 'a' }], ALBANY));
    expect([calc.customer_details.address?.state, calc.tax_amount_exclusive]).toEqual([null, 40]);
    expect(calc.tax_breakdown[0]?.tax_rate_details.state).toBe('NY');
  });

  it('California: 7.25 % on goods, shipping not taxed, food exempt', async () => {
    const calc = checked(
      await calcFor(
        s,
        [
          { amount: 1000, reference: 'mug' },
          { amount: 600, reference: 'bread', tax_code: 'txcd_40060003' },
        ],
        LA,
        { shipping_cost: { amount: 500 } },
      ),
    );
    expect(calc.tax_amount_exclusive).toBe(73); // 72.5 → 73
    expect(calc.shipping_cost?.amount_tax).toBe(0);
    expect(calc.tax_breakdown.map((b) => b.taxability_reason).sort()).toEqual([
      'not_subject_to_tax',
      'product_exempt',
      'standard_rated',
    ]);
    expect(calc.amount_total).toBe(2100 + 73);
  });

  it('Germany: VAT included in the price, 19 % standard and 7 % for food', async () => {
    const calc = checked(
      await s.tax.calculations.create({
        currency: 'eur',
        line_items: [
          { amount: 1190, reference: 'tea', tax_behavior: 'inclusive' },
          { amount: 1070, reference: 'biscuits', tax_behavior: 'inclusive', tax_code: 'txcd_40060003' },
        ],
        customer_details: { address: BERLIN, address_source: 'billing' },
      }),
    );
    expect([calc.amount_total, calc.tax_amount_inclusive, calc.tax_amount_exclusive]).toEqual([2260, 260, 0]);
    expect(
      calc.tax_breakdown.map((b) => [
        b.taxability_reason,
        b.tax_rate_details.percentage_decimal,
        b.amount,
        b.taxable_amount,
      ]),
    ).toEqual([
      ['standard_rated', '19', 190, 1000],
      ['reduced_rated', '7', 70, 1000],
    ]);
  });

  it('a product tax code is used when the line gives none', async () => {
    const prod = await s.products.create({ name: 'Rye bread', tax_code: 'txcd_40060003' });
    const calc = await calcFor(s, [{ amount: 500, product: prod.id }], NYC);
    const [li] = (await s.tax.calculations.listLineItems(calc.id as string)).data;
    expect([li?.tax_code, li?.product, li?.reference, calc.tax_amount_exclusive]).toEqual([
      'txcd_40060003',
      prod.id,
      prod.id,
      0,
    ]);
  });

  it('places it cannot locate, unknown tax codes and duplicate references are refused', async () => {
    for (const address of [
      { ...NYC, state: 'CA' }, // a New York ZIP code in California
      { country: 'US', state: 'NY' }, // no ZIP code
      { country: 'US', postal_code: '1011' },
      { country: 'CA', city: 'Toronto' }, // Canada needs a postal code or province
    ]) {
      const err = await failure(calcFor(s, [{ amount: 100, reference: 'a' }], address));
      expect([err.statusCode, err.code, err.param]).toEqual([
        400,
        'customer_tax_location_invalid',
        'customer_details[address]',
      ]);
    }
    const ok = checked(await calcFor(s, [{ amount: 100, reference: 'a' }], { country: 'CA', state: 'ON' }));
    expect(ok.tax_breakdown[0]?.taxability_reason).toBe('not_collecting');
    const code = await failure(calcFor(s, [{ amount: 100, reference: 'a', tax_code: 'txcd_12345678' }], NYC));
    expect([code.statusCode, code.code, code.param]).toEqual([
      400,
      'resource_missing',
      'line_items[0][tax_code]',
    ]);
    const dup = await failure(
      calcFor(
        s,
        [
          { amount: 100, reference: 'a' },
          { amount: 200, reference: 'a' },
        ],
        NYC,
      ),
    );
    expect([dup.statusCode, dup.param]).toEqual([400, 'line_items[1][reference]']);
    const none = await failure(s.tax.calculations.create({ currency: 'usd', line_items: [{ amount: 1 }] }));
    expect([none.statusCode, none.code]).toEqual([400, 'parameter_missing']);
  });

  it('a calculation expires after 90 days: no retrieve, no line items, no transaction, no link', async () => {
    const calc = await calcFor(s, [{ amount: 1000, reference: 'a' }], NYC);
    expect(calc.expires_at).toBe(now() + 90 * DAY);
    const linked = await s.paymentIntents.create({
      amount: calc.amount_total,
      currency: 'usd',
      allowed_payment_method_types: ['card'],
      hooks: { inputs: { tax: { calculation: calc.id as string } } },
    });
    t.emulator.advanceClock(90 * DAY);
    expect((await failure(s.tax.calculations.retrieve(calc.id as string))).statusCode).toBe(404);
    expect((await failure(s.tax.calculations.listLineItems(calc.id as string))).statusCode).toBe(404);
    const tx = await failure(
      s.tax.transactions.createFromCalculation({ calculation: calc.id as string, reference: 'late' }),
    );
    expect([tx.statusCode, tx.code, tx.param]).toEqual([400, 'resource_missing', 'calculation']);
    const link = await failure(
      s.paymentIntents.create({
        amount: calc.amount_total,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
        hooks: { inputs: { tax: { calculation: calc.id as string } } },
      }),
    );
    expect([link.statusCode, link.param]).toEqual([400, 'hooks[inputs][tax][calculation]']);
    // Linked before it expired, paid after: Stripe can't commit it and says why.
    const paid = await s.paymentIntents.confirm(linked.id, { payment_method: 'pm_card_visa' });
    expect(paid.status).toBe('succeeded');
    const a = checked(await s.tax.associations.find({ payment_intent: linked.id }));
    expect(a.tax_transaction_attempts).toEqual([
      { source: linked.id, status: 'errored', errored: { reason: 'calculation_expired' } },
    ]);
  });

  it('a registration that ends, or has not begun, does not collect', async () => {
    const texas = checked(
      await s.tax.registrations.create({
        country: 'US',
        country_options: { us: { state: 'TX', type: 'state_sales_tax' } },
        active_from: 'now',
        expires_at: now() + 100,
      }),
    );
    expect(texas.status).toBe('active');
    expect((await calcFor(s, [{ amount: 1000, reference: 'a' }], AUSTIN)).tax_amount_exclusive).toBe(63); // 62.5 → 63
    t.emulator.advanceClock(100);
    expect((await s.tax.registrations.retrieve(texas.id)).status).toBe('expired');
    const after = await calcFor(s, [{ amount: 1000, reference: 'a' }], AUSTIN);
    expect([after.tax_amount_exclusive, after.tax_breakdown[0]?.taxability_reason]).toEqual([
      0,
      'not_collecting',
    ]);
    const later = await s.tax.registrations.create({
      country: 'US',
      country_options: { us: { state: 'TX', type: 'state_sales_tax' } },
      active_from: now() + DAY,
    });
    expect(later.status).toBe('scheduled');
    expect((await s.tax.registrations.list({ status: 'scheduled' })).data.map((r) => r.id)).toEqual([
      later.id,
    ]);
    const missing = await failure(
      s.tax.registrations.create({
        country: 'US',
        country_options: { us: { type: 'state_sales_tax' } } as never,
        active_from: 'now',
      }),
    );
    expect([missing.statusCode, missing.code]).toEqual([400, 'parameter_missing']);
  });

  it('errored attempts: a calculation used twice, a currency that differs', async () => {
    const calc = await calcFor(s, [{ amount: 1500, reference: 'a' }], NYC);
    const pay = (currency: string) => payLinked(s, calc, { currency });
    const first = await pay('usd');
    const second = await pay('usd');
    const euro = await pay('eur');
    const attempts = async (id: string) =>
      (await s.tax.associations.find({ payment_intent: id })).tax_transaction_attempts;
    expect((await attempts(first.id))?.[0]?.status).toBe('committed');
    expect(await attempts(second.id)).toEqual([
      {
        source: second.id,
        status: 'errored',
        errored: { reason: 'another_payment_associated_with_calculation' },
      },
    ]);
    expect(await attempts(euro.id)).toEqual([
      { source: euro.id, status: 'errored', errored: { reason: 'currency_mismatch' } },
    ]);
  });

  it("an amount other than the calculation's is linked by default; the transaction is the calculation's", async () => {
    const calc = await calcFor(s, [{ amount: 2000, reference: 'a' }], NYC);
    const pi = await payLinked(s, calc, { amount: calc.amount_total + 100 });
    const a = await s.tax.associations.find({ payment_intent: pi.id });
    const txId = a.tax_transaction_attempts?.[0]?.committed?.transaction as string;
    const [li] = (await s.tax.transactions.listLineItems(txId)).data;
    expect([li?.amount, li?.amount_tax]).toEqual([2000, calc.tax_amount_exclusive]);
  });

  it('a calculation can be changed or removed until the payment succeeds, not after', async () => {
    const a = await calcFor(s, [{ amount: 1000, reference: 'a' }], NYC);
    const b = await calcFor(s, [{ amount: 2000, reference: 'b' }], NYC);
    const pi = await s.paymentIntents.create({
      amount: a.amount_total,
      currency: 'usd',
      allowed_payment_method_types: ['card'],
      hooks: { inputs: { tax: { calculation: a.id as string } } },
    });
    const moved = checked(
      await s.paymentIntents.update(pi.id, {
        amount: b.amount_total,
        hooks: { inputs: { tax: { calculation: b.id as string } } },
      }),
    );
    expect(moved.hooks?.inputs?.tax?.calculation).toBe(b.id);
    expect((await s.tax.associations.find({ payment_intent: pi.id })).calculation).toBe(b.id);
    const removed = await s.paymentIntents.update(pi.id, { hooks: { inputs: { tax: { calculation: '' } } } });
    expect(removed.hooks).toBeUndefined();
    expect((await failure(s.tax.associations.find({ payment_intent: pi.id }))).statusCode).toBe(404);
    await s.paymentIntents.update(pi.id, { hooks: { inputs: { tax: { calculation: b.id as string } } } });
    await s.paymentIntents.confirm(pi.id, { payment_method: 'pm_card_visa' });
    const late = await failure(
      s.paymentIntents.update(pi.id, { hooks: { inputs: { tax: { calculation: a.id as string } } } }),
    );
    expect([late.statusCode, late.code]).toEqual([400, 'payment_intent_unexpected_state']);
  });

  it('a flat reversal splits the refund over the lines in proportion, amount and tax', async () => {
    const calc = await calcFor(
      s,
      [
        { amount: 3000, reference: 'tea' },
        { amount: 1000, reference: 'pot' },
      ],
      ALBANY,
    );
    // 4 %: tea 120, pot 40; the customer paid 3120 + 1040 = 4160.
    const pi = await payLinked(s, calc);
    const re = await s.refunds.create({ payment_intent: pi.id, amount: 1040 });
    const a = await s.tax.associations.find({ payment_intent: pi.id });
    const revId = a.tax_transaction_attempts?.find((x) => x.source === re.id)?.committed
      ?.transaction as string;
    const lines = (await s.tax.transactions.listLineItems(revId)).data;
    // 1040 over 3120 : 1040 → 780 and 260; their tax 30 and 10.
    expect(lines.map((l) => [l.reference, l.amount, l.amount_tax])).toEqual([
      ['tea', -750, -30],
      ['pot', -250, -10],
    ]);
    const over = await failure(
      s.tax.transactions.createReversal({
        mode: 'partial',
        original_transaction: a.tax_transaction_attempts?.[0]?.committed?.transaction as string,
        reference: 'too-much',
        flat_amount: -4000,
      }),
    );
    expect([over.statusCode, over.param]).toEqual([400, 'flat_amount']);
  });
});

describe('emulator-only: tax records survive a restart with --state', () => {
  it('registrations, calculations with their line items, transactions and associations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-tax-'));
    try {
      const statePath = join(dir, 'state.db');
      const a = await emulatorTarget({ statePath, clock: { now: () => T0 } });
      await seedEmulator(a.emulator, 'demo');
      const calc = await calcFor(a.stripe, [{ amount: 1000, reference: 'a' }], NYC);
      const pi = await payLinked(a.stripe, calc);
      const before = await a.stripe.tax.associations.find({ payment_intent: pi.id });
      await a.close();
      const b = await emulatorTarget({ statePath, clock: { now: () => T0 } });
      try {
        expect((await b.stripe.tax.registrations.list({ status: 'active' })).data).toHaveLength(4);
        expect((await b.stripe.tax.calculations.retrieve(calc.id as string)).amount_total).toBe(
          calc.amount_total,
        );
        expect((await b.stripe.tax.calculations.listLineItems(calc.id as string)).data[0]?.reference).toBe(
          'a',
        );
        expect(await b.stripe.tax.associations.find({ payment_intent: pi.id })).toEqual(
          expect.objectContaining({
            id: before.id,
            tax_transaction_attempts: before.tax_transaction_attempts,
          }),
        );
        const txId = before.tax_transaction_attempts?.[0]?.committed?.transaction as string;
        expect((await b.stripe.tax.transactions.listLineItems(txId)).data).toHaveLength(1);
        // The calculation is still spent: a second commit of it is refused.
        const again = await failure(
          b.stripe.tax.transactions.createFromCalculation({
            calculation: calc.id as string,
            reference: 'again',
          }),
        );
        expect(again.statusCode).toBe(400);
      } finally {
        await b.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('emulator-only: taxAmountMismatch refuse', () => {
  let t: Target & { emulator: RunningEmulator };
  beforeAll(async () => {
    t = await emulatorTarget({ taxAmountMismatch: 'refuse' });
    await seedEmulator(t.emulator, 'demo');
  });
  afterAll(() => t.close());

  it('refuses a PaymentIntent whose amount is not the calculation amount_total, and a capture likewise', async () => {
    const s = t.stripe;
    const calc = await calcFor(s, [{ amount: 2000, reference: 'a' }], NYC);
    const link = { hooks: { inputs: { tax: { calculation: calc.id as string } } } };
    const err = await failure(
      s.paymentIntents.create({
        amount: calc.amount_total - 1,
        currency: 'usd',
        allowed_payment_method_types: ['card'],
        ...link,
      }),
    );
    expect([err.statusCode, err.param]).toEqual([400, 'amount']);
    const hold = await payLinked(s, calc, { capture_method: 'manual' });
    const cap = await failure(s.paymentIntents.capture(hold.id, { amount_to_capture: 1000, ...link }));
    expect([cap.statusCode, cap.param]).toEqual([400, 'amount_to_capture']);
    expect((await s.paymentIntents.retrieve(hold.id)).status).toBe('requires_capture');
  });
});
