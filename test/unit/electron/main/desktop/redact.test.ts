// Nothing secret, no card data, no street address reaches a log line.
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { luhn, redact } from '../../../../../electron/main/desktop/redact';

describe('redact', () => {
  it('removes Stripe keys, webhook secrets, client secrets, bearer tokens and the bridge token', () => {
    const out = redact(
      'key sk_live_51Habcdefghijk and rk_test_abcdefgh1234, whsec_abcdef123456, ' +
        'pi_3Nabc_secret_XyZ123 Authorization: Bearer abcdefgh12345678 http://127.0.0.1:4000/#token=AbC-123_x',
    );
    expect(out).not.toMatch(/51Habcdefghijk|abcdefgh1234|abcdef123456|XyZ123|abcdefgh12345678|AbC-123_x/);
    expect(out).toContain('sk_live_[redacted]');
    expect(out).toContain('pi_3Nabc_secret_[redacted]'); // the PaymentIntent id stays: it helps to find the payment
    expect(out).toContain('#token=[redacted]');
  });

  it('removes card numbers that pass the Luhn check, keeping the last four; leaves other numbers', () => {
    expect(redact('card 4242 4242 4242 4242 declined')).toBe('card [card ••••4242] declined');
    expect(redact('card 4000-0025-0000-3155')).toBe('card [card ••••3155]');
    expect(redact('paid 4242424242424242.')).toBe('paid [card ••••4242].');
    // An order total in cents, a timestamp, a 16-digit number that is not a card: left alone.
    expect(redact('amount 1999 at 1733212800000 ref 1234567812345678')).toBe(
      'amount 1999 at 1733212800000 ref 1234567812345678',
    );
  });

  it('removes PINs, CVCs, expiry dates and street addresses from JSON and key=value text', () => {
    const json = JSON.stringify({
      name: 'Ann',
      pin: '4321',
      card: { number: '4242424242424242', cvc: '123', exp_month: 12, exp_year: 2030 },
      address: {
        line1: '12 Harbour Street',
        line2: 'Flat 3',
        city: 'Leeds',
        postal_code: 'LS1 4AB',
        country: 'GB',
      },
    });
    const out = redact(json);
    for (const gone of ['4321', '4242424242424242', '"123"', '2030', 'Harbour', 'Flat 3', 'LS1 4AB'])
      expect(out, gone).not.toContain(gone);
    // Who and where in broad strokes stay: they help to read a tax or shipping problem.
    expect(out).toContain('"city":"Leeds"');
    expect(out).toContain('"country":"GB"');
    expect(out).toContain('"name":"Ann"');
    expect(JSON.parse(out).address.line1).toBe('[redacted]');
    expect(redact('login failed pin=1234; line1: 12 Harbour Street, city=Leeds')).toBe(
      'login failed pin=[redacted]; line1: [redacted], city=Leeds',
    );
    expect(redact('order number: 1042')).toBe('order number: 1042');
    // An object logged as Node prints it (util.inspect: unquoted keys, single-quoted values).
    const inspected = redact(
      inspect({
        address: { line1: '12 Harbour Street', city: 'Leeds' },
        card: { number: '4242424242424242', cvc: '123' },
      }),
    );
    expect(inspected).not.toMatch(/Harbour|4242424242424242|'123'/);
    expect(inspected).toContain("city: 'Leeds'");
  });

  it('luhn', () => {
    expect(luhn('4242424242424242')).toBe(true);
    expect(luhn('4242424242424241')).toBe(false);
  });
});
