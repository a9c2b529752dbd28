// Postal addresses as each country writes them, and what shipping to a country needs. Shared by the renderer
// (the customer form says what is missing next to the field; the order shows the address) and the core (the CSV
// export). A small table of the shops' usual destinations, with a sensible fallback; not a full address standard.

import { getCountries } from 'libphonenumber-js';

export interface AddressParts {
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  state?: string | undefined;
  country: string;
}

export interface AddressRules {
  stateRequired: boolean;
  postalRequired: boolean;
  stateLabel: string;
  postalLabel: string;
  /** The form a postal code takes there, with an example for the message; null when any text will do. */
  postal: { pattern: RegExp; example: string } | null;
}

/** Countries without postal codes (where carriers don't ask for one). */
const NO_POSTAL = new Set(
  'AE AG AO AW BF BI BJ BO BS BW BZ CD CF CG CI CK CM DJ DM ER FJ GA GD GH GM GQ GY HK JM KI KM KN KP LC ML MO MR MW NR NU QA RW SB SC SL SO SR SS ST SY TD TF TG TK TL TO TT TV UG VU YE ZW'.split(
    ' ',
  ),
);

const RULES: Record<string, Partial<AddressRules>> = {
  US: {
    stateRequired: true,
    stateLabel: 'State',
    postalLabel: 'ZIP code',
    postal: { pattern: /^\d{5}(-\d{4})?$/, example: '97201' },
  },
  CA: {
    stateRequired: true,
    stateLabel: 'Province',
    postal: { pattern: /^[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d$/, example: 'K1A 0B1' },
  },
  AU: {
    stateRequired: true,
    stateLabel: 'State',
    postalLabel: 'Postcode',
    postal: { pattern: /^\d{4}$/, example: '2000' },
  },
  GB: {
    stateLabel: 'County',
    postalLabel: 'Postcode',
    postal: { pattern: /^[A-Za-z]{1,2}\d[A-Za-z\d]? ?\d[A-Za-z]{2}$/, example: 'SW1A 1AA' },
  },
  IE: { stateLabel: 'County', postalLabel: 'Eircode', postalRequired: false },
  IN: {
    stateRequired: true,
    postalLabel: 'PIN code',
    postal: { pattern: /^\d{6}$/, example: '110001' },
  },
  JP: {
    stateRequired: true,
    stateLabel: 'Prefecture',
    postal: { pattern: /^\d{3}-?\d{4}$/, example: '100-0001' },
  },
  BR: {
    stateRequired: true,
    postalLabel: 'CEP',
    postal: { pattern: /^\d{5}-?\d{3}$/, example: '01310-100' },
  },
  MX: { stateRequired: true, postal: { pattern: /^\d{5}$/, example: '06000' } },
  DE: { postal: { pattern: /^\d{5}$/, example: '10115' } },
  FR: { postal: { pattern: /^\d{5}$/, example: '75001' } },
  ES: { stateLabel: 'Province', postal: { pattern: /^\d{5}$/, example: '28001' } },
  IT: { stateLabel: 'Province', postal: { pattern: /^\d{5}$/, example: '00144' } },
  NL: { postal: { pattern: /^\d{4} ?[A-Za-z]{2}$/, example: '1012 AB' } },
  BE: { postal: { pattern: /^\d{4}$/, example: '1000' } },
  AT: { postal: { pattern: /^\d{4}$/, example: '1010' } },
  CH: { postal: { pattern: /^\d{4}$/, example: '8001' } },
  SE: { postal: { pattern: /^\d{3} ?\d{2}$/, example: '111 22' } },
  NZ: { postal: { pattern: /^\d{4}$/, example: '6011' } },
};

export function addressRules(country: string): AddressRules {
  const c = country.trim().toUpperCase();
  const r = RULES[c] ?? {};
  return {
    stateRequired: r.stateRequired ?? false,
    postalRequired: r.postalRequired ?? !NO_POSTAL.has(c),
    stateLabel: r.stateLabel ?? 'State or region',
    postalLabel: r.postalLabel ?? 'Postal code',
    postal: r.postal ?? null,
  };
}

/** Where the postal code and town go: after the town ("Portland, OR 97201") or before it ("10115 Berlin"). */
const POSTAL_FIRST = new Set(
  'DE FR ES IT NL BE AT CH SE NO DK FI PL PT CZ SK HU IS LU GR RO HR SI BG EE LV LT MX BR AR CL TR IL'.split(
    ' ',
  ),
);

let names: Intl.DisplayNames | null = null;
/** "US" → "United States" (the code itself if the runtime has no names). */
export function countryName(code: string): string {
  try {
    names ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/**
 * The address as lines, the way the destination country writes them; the country's name last when it is not the
 * shop's own country (a parcel leaving the country needs it).
 */
export function formatAddress(a: AddressParts, shopCountry?: string | null): string[] {
  const c = a.country.toUpperCase();
  const state = a.state?.trim() ?? '';
  const city = a.city.trim();
  const postal = a.postalCode.trim();
  const lines = [a.line1.trim(), a.line2?.trim() ?? ''];
  if (c === 'US') lines.push(`${city}${state ? `, ${state}` : ''}${postal ? ` ${postal}` : ''}`);
  else if (c === 'CA' || c === 'AU') lines.push([city, state, postal].filter(Boolean).join(' '));
  else if (c === 'GB' || c === 'IE') lines.push(c === 'GB' ? city.toUpperCase() : city, state, postal);
  else if (c === 'JP') lines.unshift(postal ? `〒${postal}` : '', [state, city].filter(Boolean).join(' '));
  else if (POSTAL_FIRST.has(c)) lines.push([postal, city].filter(Boolean).join(' '), state);
  else lines.push([city, state, postal].filter(Boolean).join(' '));
  if (!shopCountry || shopCountry.toUpperCase() !== c) lines.push(countryName(c));
  return lines.filter((l) => l.length > 0);
}

/**
 * What a parcel to this address still needs, in words ("the street address, the ZIP code"), or null when it is
 * complete. The checkout refuses to charge for a shipped order until it is (the form says it at each field).
 */
export function missingForShipping(a: Partial<AddressParts> | null | undefined): string | null {
  if (!a?.line1?.trim()) return 'the street address';
  const rules = addressRules(a.country ?? '');
  const missing: string[] = [];
  if (!a.city?.trim()) missing.push('the town or city');
  if (rules.stateRequired && !a.state?.trim()) missing.push(`the ${rules.stateLabel.toLowerCase()}`);
  if (rules.postalRequired && !a.postalCode?.trim()) missing.push(`the ${rules.postalLabel}`);
  if (!a.country?.trim()) missing.push('the country');
  return missing.length ? missing.join(', ') : null;
}

/** Every country a shop may ship to, by name (the shop's own first). */
export function countryOptions(shopCountry: string): { code: string; name: string }[] {
  const all = getCountries()
    .map((code) => ({ code: code as string, name: countryName(code) }))
    .filter((c) => c.name !== c.code)
    .sort((a, b) => a.name.localeCompare(b.name));
  const home = all.find((c) => c.code === shopCountry.toUpperCase());
  return home ? [home, ...all.filter((c) => c !== home)] : all;
}

/** US states, DC, territories and military post codes; Canada's provinces and territories (postal abbreviations). */
const REGIONS: Record<string, { what: string; example: string; codes: Record<string, string> }> = {
  US: {
    what: 'US state',
    example: 'OR',
    codes: Object.fromEntries(
      (
        'AL Alabama|AK Alaska|AZ Arizona|AR Arkansas|CA California|CO Colorado|CT Connecticut|DE Delaware|' +
        'DC District of Columbia|FL Florida|GA Georgia|HI Hawaii|ID Idaho|IL Illinois|IN Indiana|IA Iowa|' +
        'KS Kansas|KY Kentucky|LA Louisiana|ME Maine|MD Maryland|MA Massachusetts|MI Michigan|MN Minnesota|' +
        'MS Mississippi|MO Missouri|MT Montana|NE Nebraska|NV Nevada|NH New Hampshire|NJ New Jersey|' +
        'NM New Mexico|NY New York|NC North Carolina|ND North Dakota|OH Ohio|OK Oklahoma|OR Oregon|' +
        'PA Pennsylvania|RI Rhode Island|SC South Carolina|SD South Dakota|TN Tennessee|TX Texas|UT Utah|' +
        'VT Vermont|VA Virginia|WA Washington|WV West Virginia|WI Wisconsin|WY Wyoming|AS American Samoa|' +
        'GU Guam|MP Northern Mariana Islands|PR Puerto Rico|VI U.S. Virgin Islands|AA Armed Forces Americas|' +
        'AE Armed Forces Europe|AP Armed Forces Pacific'
      )
        .split('|')
        .map((s) => [s.slice(0, 2), s.slice(3)]),
    ),
  },
  CA: {
    what: 'Canadian province or territory',
    example: 'ON',
    codes: Object.fromEntries(
      (
        'AB Alberta|BC British Columbia|MB Manitoba|NB New Brunswick|NL Newfoundland and Labrador|' +
        'NS Nova Scotia|NT Northwest Territories|NU Nunavut|ON Ontario|PE Prince Edward Island|QC Quebec|' +
        'SK Saskatchewan|YT Yukon'
      )
        .split('|')
        .map((s) => [s.slice(0, 2), s.slice(3)]),
    ),
  },
};

/**
 * The state or province as the post writes it ("or", "Oregon" → "OR"), or why it is not one — for the US and
 * Canada, where carriers and Stripe expect the two-letter code. Other countries: the text as typed.
 */
export function checkRegion(
  country: string,
  state: string,
): { ok: true; code: string } | { ok: false; reason: string } {
  const t = state.trim();
  const r = REGIONS[country.trim().toUpperCase()];
  if (!r || !t) return { ok: true, code: t };
  const up = t.toUpperCase().replace(/\./g, '');
  if (r.codes[up]) return { ok: true, code: up };
  const byName = Object.entries(r.codes).find(([, n]) => n.toLowerCase() === t.toLowerCase());
  if (byName) return { ok: true, code: byName[0] };
  return {
    ok: false,
    reason: `“${t.length > 20 ? `${t.slice(0, 20)}…` : t}” is not a ${r.what}: use its two-letter code (e.g. ${r.example}).`,
  };
}
