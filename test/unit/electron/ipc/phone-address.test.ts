// Phone numbers and addresses, shared by the renderer and the core.
import { describe, expect, it } from 'vitest';
import {
  checkPhone,
  formatPhone,
  normalizePhone,
  phoneDigits,
  phoneSearchDigits,
} from '../../../../electron/ipc/phone';
import { addressRules, checkRegion, formatAddress } from '../../../../electron/ipc/address';

describe('phone numbers', () => {
  it('normalizes what staff type to E.164 with the shop country as default', () => {
    expect(normalizePhone('(555) 010-1234', 'US')).toBe('+15550101234');
    expect(normalizePhone('555.010.1234', 'US')).toBe('+15550101234');
    expect(normalizePhone('+44 20 7946 0018', 'US')).toBe('+442079460018');
    expect(normalizePhone('020 7946 0018', 'GB')).toBe('+442079460018');
  });

  it('says why a number is not one, in words', () => {
    expect(checkPhone('555 0100', 'US')).toEqual({
      ok: false,
      reason: expect.stringMatching(/not a complete US phone number/),
    });
    expect(checkPhone('12', 'US')).toEqual({ ok: false, reason: 'This phone number is too short.' });
    expect(checkPhone('call me', 'US')).toEqual({ ok: false, reason: expect.stringMatching(/digits only/) });
    expect(checkPhone('+44 20', 'US')).toMatchObject({ ok: false });
  });

  it('finds a number however it is typed', () => {
    const stored = phoneDigits(normalizePhone('(555) 010-1234', 'US'))!;
    expect(stored).toBe('15550101234');
    for (const q of ['555', '(555) 010-1234', '+1 555-010-1234', '010-1234', '5550101234'])
      expect(stored.includes(phoneSearchDigits(q, 'US')!), q).toBe(true);
    const uk = phoneDigits('+442079460018')!;
    for (const q of ['020 7946 0018', '7946', '+44 20 7946 0018', '020 7946'])
      expect(uk.includes(phoneSearchDigits(q, 'GB')!), q).toBe(true);
  });

  it('is not a phone search for words or one or two digits', () => {
    expect(phoneSearchDigits('Ada', 'US')).toBeNull();
    expect(phoneSearchDigits('12', 'US')).toBeNull();
    expect(phoneSearchDigits('A1042', 'US')).toBeNull();
  });

  it('reads nationally at home and internationally abroad', () => {
    expect(formatPhone('+15550101234', 'US')).toBe('(555) 010-1234');
    expect(formatPhone('+442079460018', 'US')).toBe('+44 20 7946 0018');
    expect(formatPhone('not a number', 'US')).toBe('not a number');
  });
});

describe('addresses', () => {
  const base = { line1: '12 Leaf Lane', city: 'Portland', postalCode: '97201', country: 'US' };
  it('writes a US address with its state, and no country at home', () => {
    expect(formatAddress({ ...base, state: 'OR' }, 'US')).toEqual(['12 Leaf Lane', 'Portland, OR 97201']);
    expect(formatAddress({ ...base, state: 'OR' }, 'GB')).toEqual([
      '12 Leaf Lane',
      'Portland, OR 97201',
      'United States',
    ]);
  });

  it('puts the postal code where the country does', () => {
    expect(
      formatAddress(
        { line1: 'Unter den Linden 1', city: 'Berlin', postalCode: '10117', country: 'DE' },
        'US',
      ),
    ).toEqual(['Unter den Linden 1', '10117 Berlin', 'Germany']);
    expect(
      formatAddress({ line1: '10 Downing St', city: 'London', postalCode: 'SW1A 2AA', country: 'GB' }, 'GB'),
    ).toEqual(['10 Downing St', 'LONDON', 'SW1A 2AA']);
  });

  it('knows what shipping needs', () => {
    expect(addressRules('US')).toMatchObject({
      stateRequired: true,
      postalRequired: true,
      postalLabel: 'ZIP code',
    });
    expect(addressRules('CA').stateLabel).toBe('Province');
    expect(addressRules('HK').postalRequired).toBe(false);
    expect(addressRules('US').postal!.pattern.test('9720')).toBe(false);
  });
});

describe('US states and Canadian provinces (issue 23: "ZZ" was accepted)', () => {
  it('takes a code or a name in any case, and gives the code', () => {
    expect(checkRegion('US', 'or')).toEqual({ ok: true, code: 'OR' });
    expect(checkRegion('US', 'New York')).toEqual({ ok: true, code: 'NY' });
    expect(checkRegion('US', 'D.C.')).toEqual({ ok: true, code: 'DC' });
    expect(checkRegion('CA', 'quebec')).toEqual({ ok: true, code: 'QC' });
  });
  it('refuses what is none, saying what it wants', () => {
    expect(checkRegion('US', 'ZZ')).toEqual({
      ok: false,
      reason: '“ZZ” is not a US state: use its two-letter code (e.g. OR).',
    });
    expect(checkRegion('CA', 'OR')).toMatchObject({ ok: false, reason: /Canadian province/ });
  });
  it('leaves other countries and an empty field alone', () => {
    expect(checkRegion('GB', 'Kent')).toEqual({ ok: true, code: 'Kent' });
    expect(checkRegion('US', ' ')).toEqual({ ok: true, code: '' });
  });
});
