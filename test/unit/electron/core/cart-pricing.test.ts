// Issue 21 part A: a phone order priced in each of the shop's three tax settings, with discounts, ending with
// the PaymentIntent Stripe holds (amount, the order's pricing in its metadata, and with Stripe Tax the linked
// calculation); a discount above the shop's limit allowed by a manager's PIN checked in main; two stations
// reading the same pricing; bad input refused at its field with nothing charged. The real core, the emulator,
// through the IPC contract as the renderer calls it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Stripe from 'stripe';
import type { ShopTax } from '../../../../electron/ipc/contract';
import { decodePricing } from '../../../../electron/core/orders/pricing-metadata';
import { MANAGER_PIN, product, startHarness, type Harness } from '../../../helpers/core-harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const NY_ADDRESS = { line1: '1 Main St', city: 'Albany', postalCode: '12207', state: 'NY', country: 'US' };
const CA_ADDRESS = {
  line1: '5 Ocean Ave',
  city: 'Los Angeles',
  postalCode: '90001',
  state: 'CA',
  country: 'US',
};
const SHOP = { line1: '10 Market St', city: 'Albany', state: 'NY', postalCode: '12207', country: 'US' };

const baseTax: ShopTax = {
  mode: 'none',
  pricesIncludeTax: false,
  shippingTaxable: false,
  regions: [],
  origin: SHOP,
  discountReasons: ['Loyal customer', 'Damaged box'],
  discountLimitAmount: null,
  discountLimitBp: 1_000,
};
const RATES: ShopTax['regions'] = [
  {
    country: 'US',
    state: 'NY',
    components: [{ jurisdiction: 'New York', level: 'state', type: 'sales_tax', ratePpm: 88_750 }],
  },
  {
    country: 'US',
    state: 'CA',
    components: [{ jurisdiction: 'California', level: 'state', type: 'sales_tax', ratePpm: 72_500 }],
  },
];

const countPIs = async () => (await h.stripe.paymentIntents.list({ limit: 100 })).data.length;

/** A cart of 2 × $25.00 (and optionally a $10.00 food item), for Ada, shipped to `address`. */
async function cartTo(address: typeof NY_ADDRESS, opts: { food?: boolean; fee?: number } = {}) {
  const mug = await product(h, 'MUG-1', 2500, 40);
  const lines = [{ productId: mug.id, quantity: 2 }];
  if (opts.food) {
    const tea = await product(h, 'TEA-FOOD', 1000, 40);
    const { id, sku, name, unitAmount, currency, active } = tea;
    await h.call(
      'products:save',
      { id, sku, name, unitAmount, currency, active, stock: 40, taxCode: 'txcd_40060003' },
      'manager',
    );
    lines.push({ productId: tea.id, quantity: 1 });
  }
  const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
  return h.call(
    'carts:update',
    {
      cartId: cart.id,
      lines,
      delivery: 'ship',
      shippingFee: opts.fee ?? 0,
      customer: { name: 'Ada Lovelace', email: 'ada@example.com', shipping: address },
    },
    'staff',
  );
}

async function pay(cartId: string, expectedTotal: number) {
  return h.call('payments:pay', { cartId, paymentMethod: 'pm_card_visa', expectedTotal }, 'staff');
}

const metadataOf = async (piId: string): Promise<Stripe.Metadata> =>
  (await h.stripe.paymentIntents.retrieve(piId)).metadata;

describe('a phone order in each tax setting', () => {
  it('No tax: a discounted order is charged its lines less the discount, and the discount is in the record', async () => {
    await h.call('tax:update', baseTax, 'manager');
    let cart = await cartTo(NY_ADDRESS);
    const mugId = cart.lines[0]!.productId;
    cart = await h.call(
      'carts:update',
      {
        cartId: cart.id,
        discounts: {
          lines: { [mugId]: { discount: { kind: 'amount', amount: 300 }, reason: 'Damaged box' } },
          order: null,
        },
      },
      'staff',
    );
    expect(cart.pricing).toMatchObject({ state: 'priced', subtotal: 5000, discountTotal: 300, taxTotal: 0 });
    expect(cart.total).toBe(4700);
    const paid = await pay(cart.id, 4700);
    expect(paid.phase).toBe('succeeded');
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi.amount).toBe(4700);
    const rec = decodePricing(pi.metadata, 1)!;
    expect(rec.taxMode).toBe('none');
    expect(rec.lines).toEqual([{ discount: 300, tax: 0, reason: 0 }]);
    expect(rec.reasons).toEqual(['Damaged box']);
    expect(rec.discountBy).toBe('Sam Staff');
    expect(rec.discountApprovedBy).toBeNull();
  });

  it('Rates I set: the ship-to state decides the rate, tax is on the discounted price, and the record says so', async () => {
    await h.call('tax:update', { ...baseTax, mode: 'rates', regions: RATES }, 'manager');
    let cart = await cartTo(NY_ADDRESS);
    expect(cart.pricing).toMatchObject({ state: 'priced', taxTotal: 444 }); // 5000 × 8.875 % = 443.75
    expect(cart.total).toBe(5444);
    // Shipped to California instead: priced again before any card is touched.
    cart = await h.call(
      'carts:update',
      { cartId: cart.id, customer: { name: 'Ada Lovelace', email: 'ada@example.com', shipping: CA_ADDRESS } },
      'staff',
    );
    expect(cart.pricing!.taxTotal).toBe(362); // 5000 × 7.25 % = 362.5, half to even
    expect(cart.pricing!.breakdown).toEqual([{ jurisdiction: 'California', percent: '7.25', amount: 362 }]);
    // 10 % off the order (the limit is 10 %: no PIN).
    cart = await h.call(
      'carts:update',
      {
        cartId: cart.id,
        discounts: {
          lines: {},
          order: { discount: { kind: 'percent', bp: 1_000 }, reason: 'Loyal customer' },
        },
      },
      'staff',
    );
    expect(cart.pricing).toMatchObject({ discountTotal: 500, taxTotal: 326 }); // 4500 × 7.25 % = 326.25
    expect(cart.total).toBe(4826);
    const paid = await pay(cart.id, 4826);
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi.amount).toBe(4826);
    const rec = decodePricing(pi.metadata, 1)!;
    expect(rec).toMatchObject({ taxMode: 'rates', taxTotal: 326, inclusive: false, orderReason: 0 });
    expect(rec.orderDiscount).toEqual({ spec: { kind: 'percent', bp: 1_000 }, amount: 500 });
    expect(rec.breakdown[0]).toMatchObject({ jurisdiction: 'California', state: 'CA', ratePpm: 72_500 });
  });

  it('Stripe Tax: the PaymentIntent is the calculation’s total and linked to it; food and shipping as Stripe taxes them', async () => {
    for (const state of ['NY', 'CA'])
      await h.stripe.tax.registrations.create({
        country: 'US',
        country_options: { us: { state, type: 'state_sales_tax' } },
        active_from: 'now',
      });
    await h.call('tax:update', { ...baseTax, mode: 'stripe_tax' }, 'manager');
    const cart = await cartTo(CA_ADDRESS, { food: true, fee: 500 });
    const p = cart.pricing!;
    expect(p.state).toBe('priced');
    expect(p.calculationId).toMatch(/^taxcalc_/);
    const calc = await h.stripe.tax.calculations.retrieve(p.calculationId!);
    expect(cart.total).toBe(calc.amount_total);
    expect(p.taxTotal).toBe(calc.tax_amount_exclusive);
    // Mugs taxed at 7.25 %; food for home consumption exempt in California.
    expect(p.lines.find((l) => l.productId === cart.lines[0]!.productId)!.tax).toBe(363);
    expect(p.lines.find((l) => l.productId === cart.lines[1]!.productId)!.tax).toBe(0);
    const paid = await pay(cart.id, cart.total);
    expect(paid.phase).toBe('succeeded');
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(pi.amount).toBe(calc.amount_total);
    const assoc = await h.stripe.tax.associations.find({ payment_intent: pi.id });
    expect(assoc.calculation).toBe(p.calculationId);
    const rec = decodePricing(pi.metadata, 2)!;
    expect(rec).toMatchObject({
      taxMode: 'stripe_tax',
      calculationId: p.calculationId,
      taxTotal: p.taxTotal,
    });
  });

  it('a tax-exempt customer is charged no tax, and the Stripe Customer says so with the certificate', async () => {
    await h.call('tax:update', { ...baseTax, mode: 'rates', regions: RATES }, 'manager');
    let cart = await cartTo(NY_ADDRESS);
    cart = await h.call(
      'carts:update',
      {
        cartId: cart.id,
        customer: {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          shipping: NY_ADDRESS,
          taxExempt: 'Resale certificate 123-45',
        },
      },
      'staff',
    );
    expect(cart.pricing!.taxTotal).toBe(0);
    expect(cart.total).toBe(5000);
    const paid = await pay(cart.id, 5000);
    const pi = await h.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
    expect(decodePricing(pi.metadata, 1)!.exempt).toBe('Resale certificate 123-45');
    const cus = await h.stripe.customers.retrieve(pi.customer as string);
    expect((cus as Stripe.Customer).tax_exempt).toBe('exempt');
    expect((cus as Stripe.Customer).metadata.mc_tax_exempt).toBe('Resale certificate 123-45');
  });
});

describe('holds and expired calculations', () => {
  it('a waitlist hold is authorized with its tax', async () => {
    await h.call('tax:update', { ...baseTax, mode: 'rates', regions: RATES }, 'manager');
    const kettle = await product(h, 'KETTLE-0', 8900, 0);
    const cart = await h.call('carts:create', { currency: 'usd' }, 'staff');
    const priced = await h.call(
      'carts:update',
      {
        cartId: cart.id,
        lines: [{ productId: kettle.id, quantity: 1 }],
        delivery: 'ship',
        customer: { name: 'Ada Lovelace', email: 'ada@example.com', shipping: NY_ADDRESS },
      },
      'staff',
    );
    expect(priced.waitlist).toBe(true);
    expect(priced.total).toBe(8900 + 790); // 8900 × 8.875 % = 789.875
    const held = await pay(cart.id, priced.total);
    expect(held.phase).toBe('on_hold');
    const pi = await h.stripe.paymentIntents.retrieve(held.paymentIntentId!);
    expect(pi).toMatchObject({ amount: 9690, capture_method: 'manual', status: 'requires_capture' });
    expect(decodePricing(pi.metadata, 1)!.taxTotal).toBe(790);
  });

  it('a Stripe Tax calculation that expired is made again before the card is touched', async () => {
    await h.stripe.tax.registrations.create({
      country: 'US',
      country_options: { us: { state: 'NY', type: 'state_sales_tax' } },
      active_from: 'now',
    });
    await h.call('tax:update', { ...baseTax, mode: 'stripe_tax' }, 'manager');
    const cart = await cartTo(NY_ADDRESS);
    const first = cart.pricing!.calculationId;
    await fetch(`${h.emulator.url}/_emulator/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 91 * 24 * 3600 }),
    });
    const r = await h.raw(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', expectedTotal: cart.total },
      'staff',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('expired');
    expect(await countPIs()).toBe(0);
    const again = await h.call('carts:get', { cartId: cart.id }, 'staff');
    expect(again.pricing!.calculationId).not.toBe(first);
    const paid = await pay(cart.id, again.total);
    const assoc = await h.stripe.tax.associations.find({ payment_intent: paid.paymentIntentId! });
    expect(assoc.calculation).toBe(again.pricing!.calculationId);
  });
});

describe('discounts above the shop’s limit', () => {
  it('need a manager’s PIN, checked in main; who gave and who allowed go into the record', async () => {
    await h.call('tax:update', baseTax, 'manager');
    const cart = await cartTo(NY_ADDRESS);
    const big = {
      cartId: cart.id,
      discounts: {
        lines: {},
        order: { discount: { kind: 'percent' as const, bp: 2_500 }, reason: 'Price match' },
      },
    };
    const refused = await h.raw('carts:update', big, 'staff');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('forbidden');
      expect(refused.error.details).toMatchObject({ approvalNeeded: true });
    }
    expect((await h.call('carts:get', { cartId: cart.id }, 'staff')).total).toBe(5000);
    const wrong = await h.raw('carts:update', { ...big, approvalPin: '1357' }, 'staff'); // staff's own PIN
    expect(!wrong.ok && wrong.error.code).toBe('bad_pin');
    const allowed = await h.call('carts:update', { ...big, approvalPin: MANAGER_PIN }, 'staff');
    expect(allowed.total).toBe(3750);
    expect(allowed.discounts).toMatchObject({ givenBy: 'Sam Staff', approvedBy: 'Morgan Manager' });
    const audited = h.services.db
      .prepare(`SELECT actor, after_json FROM audit_log WHERE action = 'cart.discount_approved'`)
      .all() as { actor: string; after_json: string }[];
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor).toBe('Sam Staff');
    expect(JSON.parse(audited[0]!.after_json)).toMatchObject({ approvedBy: 'Morgan Manager' });
    // Adding a small line discount beside it is a new set: allowed again. Taking it away keeps the approval.
    const mugId = cart.lines[0]!.productId;
    const more = {
      ...big,
      discounts: {
        ...big.discounts,
        lines: { [mugId]: { discount: { kind: 'amount' as const, amount: 100 }, reason: '' } },
      },
    };
    const again = await h.raw('carts:update', more, 'staff');
    expect(!again.ok && again.error.code).toBe('forbidden');
    const fewer = await h.call('carts:update', big, 'staff');
    expect(fewer.discounts?.approvedBy).toBe('Morgan Manager');
    const paid = await pay(cart.id, 3750);
    const rec = decodePricing(await metadataOf(paid.paymentIntentId!), 1)!;
    expect(rec).toMatchObject({ discountBy: 'Sam Staff', discountApprovedBy: 'Morgan Manager' });
    expect(rec.reasons).toEqual(['Price match']);
  });
});

describe('an approved discount that grows with the quantities', () => {
  it('needs the manager’s PIN again past what was allowed, checked in main; nothing changes without it', async () => {
    await h.call('tax:update', { ...baseTax, discountLimitAmount: 1_000, discountLimitBp: null }, 'manager');
    const cart = await cartTo(NY_ADDRESS); // 2 × $25.00
    const mugId = cart.lines[0]!.productId;
    const quarter = {
      cartId: cart.id,
      discounts: {
        lines: {},
        order: { discount: { kind: 'percent' as const, bp: 2_500 }, reason: 'Price match' },
      },
      approvalPin: MANAGER_PIN,
    };
    const allowed = await h.call('carts:update', quarter, 'staff'); // $12.50 off, above the $10.00 limit
    expect(allowed).toMatchObject({ total: 3750, discounts: { approvedBy: 'Morgan Manager' } });
    // 4 mugs: 25 % is now $25.00 off — more than the manager allowed.
    const more = { cartId: cart.id, lines: [{ productId: mugId, quantity: 4 }] };
    const refused = await h.raw('carts:update', more, 'staff');
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('forbidden');
      expect(refused.error.details).toMatchObject({ approvalNeeded: true });
      expect(refused.error.message).toContain('$25.00');
    }
    const unchanged = await h.call('carts:get', { cartId: cart.id }, 'staff');
    expect(unchanged.lines[0]!.quantity).toBe(2);
    expect(unchanged.total).toBe(3750);
    const wrong = await h.raw('carts:update', { ...more, approvalPin: '1357' }, 'staff');
    expect(!wrong.ok && wrong.error.code).toBe('bad_pin');
    const again = await h.call('carts:update', { ...more, approvalPin: MANAGER_PIN }, 'staff');
    expect(again.total).toBe(7500);
    expect(again.discounts?.approvedBy).toBe('Morgan Manager');
    const audited = h.services.db
      .prepare(`SELECT after_json FROM audit_log WHERE action = 'cart.discount_approved' ORDER BY seq`)
      .all() as { after_json: string }[];
    expect(audited.map((a) => JSON.parse(a.after_json).amount)).toEqual([1250, 2500]);
    // Back down to 3 mugs ($18.75 off): within what was allowed, no PIN.
    const fewer = await h.call(
      'carts:update',
      { cartId: cart.id, lines: [{ productId: mugId, quantity: 3 }] },
      'staff',
    );
    expect(fewer.total).toBe(5625);
    const paid = await pay(cart.id, 5625);
    expect(paid.phase).toBe('succeeded');
    expect(decodePricing(await metadataOf(paid.paymentIntentId!), 1)!.discountApprovedBy).toBe(
      'Morgan Manager',
    );
  });

  it('a discount that crosses the limit only with the new quantity asks for the PIN too', async () => {
    await h.call('tax:update', { ...baseTax, discountLimitAmount: 1_000, discountLimitBp: null }, 'manager');
    const cart = await cartTo(NY_ADDRESS);
    const mugId = cart.lines[0]!.productId;
    const tenth = await h.call(
      'carts:update',
      {
        cartId: cart.id,
        discounts: { lines: {}, order: { discount: { kind: 'percent', bp: 1_500 }, reason: 'Price match' } },
      },
      'staff',
    ); // $7.50 off: under the limit, no PIN
    expect(tenth.discounts?.approvedBy).toBeNull();
    const r = await h.raw(
      'carts:update',
      { cartId: cart.id, lines: [{ productId: mugId, quantity: 4 }] },
      'staff',
    ); // $15.00 off
    expect(!r.ok && r.error.details).toMatchObject({ approvalNeeded: true });
    expect((await h.call('carts:get', { cartId: cart.id }, 'staff')).total).toBe(4250);
  });

  it('an approval that covers less than the discount now (re-checked on every price) leaves the cart unpaid', async () => {
    await h.call('tax:update', { ...baseTax, discountLimitAmount: 1_000, discountLimitBp: null }, 'manager');
    const cart = await cartTo(NY_ADDRESS);
    await h.call(
      'carts:update',
      {
        cartId: cart.id,
        discounts: { lines: {}, order: { discount: { kind: 'percent', bp: 2_500 }, reason: 'Price match' } },
        approvalPin: MANAGER_PIN,
      },
      'staff',
    );
    // A cart whose approval covered less (as kept before amounts were): priced again, it is not paid.
    const row = h.services.db.prepare('SELECT discounts_json FROM carts WHERE id = ?').get(cart.id) as {
      discounts_json: string;
    };
    const kept = JSON.parse(row.discounts_json) as Record<string, unknown>;
    h.services.db
      .prepare('UPDATE carts SET discounts_json = ? WHERE id = ?')
      .run(JSON.stringify({ ...kept, approvedUpTo: 1_000 }), cart.id);
    await h.services.payments.reprice(cart.id);
    const r = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('forbidden');
    expect(await countPIs()).toBe(0);
    // The manager allows it again from the discounts (the same discount, with the PIN): then it is paid.
    const same = {
      cartId: cart.id,
      discounts: {
        lines: {},
        order: { discount: { kind: 'percent' as const, bp: 2_500 }, reason: 'Price match' },
      },
    };
    const ask = await h.raw('carts:update', same, 'staff');
    expect(!ask.ok && ask.error.details).toMatchObject({ approvalNeeded: true });
    await h.call('carts:update', { ...same, approvalPin: MANAGER_PIN }, 'staff');
    expect((await pay(cart.id, 3750)).phase).toBe('succeeded');
  });
});

describe('two stations', () => {
  it('see the same tax settings and the same pricing on the order', async () => {
    const other = await startHarness({ emulator: h.emulator, station: 'Packing desk', accounts: false });
    try {
      await h.call('tax:update', { ...baseTax, mode: 'rates', regions: RATES }, 'manager');
      const cart = await cartTo(NY_ADDRESS);
      const paid = await pay(cart.id, cart.total);
      await other.services.shopRecord.bringIn();
      const { readShopTax } = await import('../../../../electron/core/settings/shop-tax-record');
      expect(readShopTax(other.services.db)).toEqual(readShopTax(h.services.db));
      // The other station reads the order's pricing from Stripe's copy of the PaymentIntent.
      const seen = await other.stripe.paymentIntents.retrieve(paid.paymentIntentId!);
      const rec = decodePricing(seen.metadata, 1)!;
      expect(rec.taxTotal).toBe(cart.pricing!.taxTotal);
      expect(rec.breakdown.map((b) => b.amount)).toEqual(cart.pricing!.breakdown.map((b) => b.amount));
    } finally {
      await other.close();
    }
  });
});

describe('bad input is refused at its field, nothing charged', () => {
  it('a discount larger than the line, negative, or over 100 %', async () => {
    await h.call('tax:update', baseTax, 'manager');
    const cart = await cartTo(NY_ADDRESS);
    const mugId = cart.lines[0]!.productId;
    const tooBig = await h.raw(
      'carts:update',
      {
        cartId: cart.id,
        discounts: {
          lines: { [mugId]: { discount: { kind: 'amount', amount: 6000 }, reason: '' } },
          order: null,
        },
        approvalPin: MANAGER_PIN,
      },
      'staff',
    );
    expect(tooBig.ok).toBe(false);
    if (!tooBig.ok) {
      expect(tooBig.error.code).toBe('invalid_input');
      expect(tooBig.error.details).toMatchObject({
        fields: { [`lines.${mugId}.discount`]: expect.stringContaining('larger than the line') },
      });
    }
    for (const discount of [
      { kind: 'amount', amount: -100 },
      { kind: 'percent', bp: 10_100 },
    ]) {
      const r = await h.raw(
        'carts:update',
        { cartId: cart.id, discounts: { lines: {}, order: { discount, reason: '' } } },
        'staff',
      );
      expect(r.ok, JSON.stringify(discount)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalid_input');
    }
    expect((await h.call('carts:get', { cartId: cart.id }, 'staff')).total).toBe(5000);
    expect(await countPIs()).toBe(0);
  });

  it('a rate over 100 % is refused at its field (the contract and the core)', async () => {
    const over = {
      ...baseTax,
      mode: 'rates' as const,
      regions: [
        {
          country: 'US',
          state: 'NY',
          components: [
            { jurisdiction: 'NY', level: 'state' as const, type: 'sales_tax' as const, ratePpm: 1_010_000 },
          ],
        },
      ],
    };
    const r = await h.raw('tax:update', over, 'manager');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_input');
      expect(JSON.stringify(r.error.details)).toContain('ratePpm');
    }
    // Two rates that add up past 100 % pass the contract, and the core refuses them by field.
    const split = {
      ...over,
      regions: [
        {
          ...over.regions[0]!,
          components: [
            { jurisdiction: 'A', level: 'state' as const, type: 'sales_tax' as const, ratePpm: 600_000 },
            { jurisdiction: 'B', level: 'city' as const, type: 'sales_tax' as const, ratePpm: 600_000 },
          ],
        },
      ],
    };
    const r2 = await h.raw('tax:update', split, 'manager');
    expect(!r2.ok && r2.error.details).toMatchObject({
      fields: { 'regions.0.components': expect.any(String) },
    });
    expect((await h.call('tax:settings', {}, 'manager')).mode).toBe('none');
  });

  it('an address Stripe Tax can’t place: refused at the address fields, nothing charged', async () => {
    await h.stripe.tax.registrations.create({
      country: 'US',
      country_options: { us: { state: 'NY', type: 'state_sales_tax' } },
      active_from: 'now',
    });
    await h.call('tax:update', { ...baseTax, mode: 'stripe_tax' }, 'manager');
    // A ZIP in California with the state NY.
    const cart = await cartTo({ ...NY_ADDRESS, postalCode: '90001' });
    expect(cart.pricing!.state).toBe('invalid');
    expect(cart.pricing!.errors['destination.address']).toContain("can't place this address");
    const r = await h.raw('payments:pay', { cartId: cart.id, paymentMethod: 'pm_card_visa' }, 'staff');
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error.details).toMatchObject({ fields: { 'destination.address': expect.any(String) } });
    expect(await countPIs()).toBe(0);
  });

  it('a price gone stale (the shop’s tax changed at another station) is priced again and not charged', async () => {
    await h.call('tax:update', { ...baseTax, mode: 'rates', regions: RATES }, 'manager');
    const cart = await cartTo(NY_ADDRESS);
    expect(cart.total).toBe(5444);
    await h.call('tax:update', baseTax, 'manager'); // no tax now
    const r = await h.raw(
      'payments:pay',
      { cartId: cart.id, paymentMethod: 'pm_card_visa', expectedTotal: 5444 },
      'staff',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toContain('$50.00');
    }
    expect(await countPIs()).toBe(0);
    const again = await h.call('carts:get', { cartId: cart.id }, 'staff');
    expect(again.total).toBe(5000);
    expect((await pay(cart.id, 5000)).phase).toBe('succeeded');
  });
});
