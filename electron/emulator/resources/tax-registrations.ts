/**
 * Tax Registrations (docs.stripe.com/api/tax/registrations): where the shop is registered to collect tax.
 * Create, retrieve, list (by status), update (active_from, expires_at: a registration can't be deleted, only
 * ended). Stripe Tax calculates tax only where a registration is active; elsewhere a calculation says
 * `not_collecting` (tax-calculations.ts asks `collectingIn`). No events (Stripe has none for registrations).
 */
import type Stripe from 'stripe';
import { invalidRequest, paramError } from '../errors';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { routeId } from '../kernel';
import { LIST_SPEC, validate } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';

const WHEN = 'string'; // 'now' or a unix timestamp, checked by `moment`

export function registerTaxRegistrations(k: Kernel): void {
  k.on('POST', '/v1/tax/registrations', (p) => createRegistration(k, p));
  k.on('GET', '/v1/tax/registrations', (p) => listRegistrations(k, p));
  k.on('GET', '/v1/tax/registrations/:id', (p, _c, m) => retrieveRegistration(k, p, routeId(m)));
  k.on('POST', '/v1/tax/registrations/:id', (p, _c, m) => updateRegistration(k, p, routeId(m)));
}

function moment(k: Kernel, v: unknown, param: string): number {
  if (v === 'now') return k.nowSec();
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  throw paramError('parameter_invalid_integer', `Invalid ${param}: must be "now" or a unix timestamp`, param);
}

/** status follows active_from and expires_at ("present for convenience", the SDK's docs say). */
export function registrationStatus(r: Stripe.Tax.Registration, now: number): Stripe.Tax.Registration.Status {
  if (r.expires_at !== null && r.expires_at <= now) return 'expired';
  if (r.active_from > now) return 'scheduled';
  return 'active';
}

function fresh(k: Kernel, r: Stripe.Tax.Registration): Stripe.Tax.Registration {
  r.status = registrationStatus(r, k.nowSec());
  return r;
}

function createRegistration(k: Kernel, form: FormObject): Stripe.Tax.Registration {
  const p = validate(
    { active_from: WHEN, country: 'string', country_options: 'any', expires_at: 'integer', expand: EXPAND },
    form,
    '',
    ['active_from', 'country', 'country_options'],
  );
  const country = String(p.country).toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw paramError('parameter_invalid_string', `Invalid country: ${String(p.country)}`, 'country');
  const options = p.country_options as Record<string, Record<string, unknown>>;
  const mine = options[country.toLowerCase()];
  if (!mine || typeof mine !== 'object') {
    throw paramError(
      'parameter_missing',
      `Missing required param: country_options[${country.toLowerCase()}].`,
      `country_options[${country.toLowerCase()}]`,
    );
  }
  if (mine.type === undefined) {
    throw paramError(
      'parameter_missing',
      `Missing required param: country_options[${country.toLowerCase()}][type].`,
      `country_options[${country.toLowerCase()}][type]`,
    );
  }
  if (country === 'US' && typeof mine.state !== 'string') {
    throw paramError(
      'parameter_missing',
      'Missing required param: country_options[us][state].',
      'country_options[us][state]',
    );
  }
  const activeFrom = moment(k, p.active_from, 'active_from');
  const expiresAt = (p.expires_at as number | undefined) ?? null;
  if (expiresAt !== null && expiresAt <= activeFrom) {
    throw invalidRequest('expires_at must be after active_from.', { param: 'expires_at' });
  }
  const normalized: Record<string, unknown> = { ...mine };
  if (country === 'US') normalized.state = String(mine.state).toUpperCase();
  const r: Stripe.Tax.Registration = {
    id: newId('taxreg'),
    object: 'tax.registration',
    active_from: activeFrom,
    country,
    country_options: { [country.toLowerCase()]: normalized } as Stripe.Tax.Registration.CountryOptions,
    created: k.nowSec(),
    expires_at: expiresAt,
    livemode: false,
    status: 'active',
  };
  fresh(k, r);
  k.state.insert('tax_registration', r);
  return k.expand(r, p.expand);
}

function retrieveRegistration(k: Kernel, form: FormObject, id: string): Stripe.Tax.Registration {
  const p = validate({ expand: EXPAND }, form);
  return k.expand(fresh(k, k.require('tax_registration', id).obj), p.expand);
}

function listRegistrations(k: Kernel, form: FormObject): Stripe.ApiList<Stripe.Tax.Registration> {
  const p = validate({ ...LIST_SPEC, status: { enum: ['active', 'all', 'expired', 'scheduled'] } }, form);
  const status = (p.status as string | undefined) ?? 'all';
  for (const id of k.state.order.tax_registration) {
    const s = k.state.get('tax_registration', id);
    if (s) fresh(k, s.obj);
  }
  return k.listOf(
    'tax_registration',
    p,
    '/v1/tax/registrations',
    (r) => status === 'all' || r.status === status,
  );
}

function updateRegistration(k: Kernel, form: FormObject, id: string): Stripe.Tax.Registration {
  const p = validate({ active_from: WHEN, expires_at: 'nullable_string', expand: EXPAND }, form);
  const r = fresh(k, k.require('tax_registration', id).obj);
  if (p.active_from !== undefined) {
    // [unverified] Stripe's wording; it documents that only a scheduled registration's start can move.
    if (r.status !== 'scheduled') {
      throw invalidRequest('active_from can only be changed while the registration is scheduled.', {
        param: 'active_from',
      });
    }
    r.active_from = moment(k, p.active_from, 'active_from');
  }
  if (p.expires_at !== undefined) {
    r.expires_at = p.expires_at === null ? null : moment(k, p.expires_at, 'expires_at');
  }
  fresh(k, r);
  k.state.touch(r.id);
  return k.expand(r, p.expand);
}

/**
 * Whether an active registration covers `country` (and, for the US, `state`) at `now`. [unverified] EU
 * registrations other than the seller's own country (OSS) are not modelled: a registration in a country
 * covers sales to that country.
 */
export function collectingIn(k: Kernel, country: string, state: string | null, now: number): boolean {
  for (const id of k.state.order.tax_registration) {
    const r = k.state.get('tax_registration', id)?.obj;
    if (!r || registrationStatus(r, now) !== 'active' || r.country !== country) continue;
    if (country !== 'US') return true;
    const us = (r.country_options as { us?: { state?: string } }).us;
    if (us?.state === state) return true;
  }
  return false;
}
