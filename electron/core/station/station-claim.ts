// A station code (the letter of its order numbers) is claimed in Stripe, so two stations set up the same morning
// can't both number orders A1001. The claim is a Product created with an id of our own, mc_station_<CODE>: Stripe
// refuses a second create with that id (resource_already_exists), which makes it a unique claim every station and
// a rebuilt one can read (record/rules.ts). The claim product is inactive and has no SKU, so no catalog lists it.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import { AppError } from '../../ipc/errors';
import { classifyStripeError, type StripeGateway } from '../stripe/gateway';
import { codesInUse, setStationCode, stationCode, stationId, STATION_CODE } from './station';
import { cutText } from '../record/text';

export const claimId = (code: string): string => `mc_station_${code}`;

function getSetting(db: Db, key: string): string | null {
  return (
    (db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as string | undefined) ?? null
  );
}
function setSetting(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/** Whose claim a code is: this station's, another's (by name), or nobody's yet. */
async function tryClaim(
  db: Db,
  gw: StripeGateway,
  code: string,
  name: string,
): Promise<{ mine: true } | { mine: false; holder: string }> {
  const me = stationId(db);
  const params: Stripe.ProductCreateParams & { id: string } = {
    id: claimId(code),
    name: cutText(`Station ${code} of the merchant console`, 250),
    active: false,
    metadata: { mc_station_id: me, mc_station_name: cutText(name, 200) },
  };
  try {
    await gw.createProduct(params, `mc_claim_${code}_${me}`);
    return { mine: true };
  } catch (e) {
    const f = classifyStripeError(e);
    if (f.kind !== 'rejected' || f.code !== 'resource_already_exists') {
      throw new AppError(
        f.kind === 'rejected' ? 'stripe_error' : 'stripe_unavailable',
        `Stripe could not confirm this station’s code ${code} (${f.message}); nothing was done. Try again in a moment.`,
      );
    }
  }
  const existing = await gw.retrieveProduct(claimId(code));
  if (existing.metadata?.mc_station_id === me) return { mine: true };
  return { mine: false, holder: existing.metadata?.mc_station_name || 'another station' };
}

/**
 * This station's code, claimed in Stripe. With `wanted` (a manager chose it), that code or an error naming the
 * station that holds it; otherwise the station's code if it can claim it, else the first free letter.
 */
export async function claimStationCode(
  db: Db,
  gw: StripeGateway,
  stationName: string,
  wanted?: string,
): Promise<string> {
  const current = stationCode(db);
  if (!wanted && current && getSetting(db, 'station.code_claimed') === current) return current;
  if (wanted) {
    if (!STATION_CODE.test(wanted))
      throw new AppError('invalid_input', 'A station code is one to three capital letters, e.g. A or FD.');
    const r = await tryClaim(db, gw, wanted, stationName);
    if (!r.mine)
      throw new AppError(
        'conflict',
        `Code ${wanted} belongs to ${r.holder}. Choose another letter for this station.`,
      );
    setStationCode(db, wanted);
    setSetting(db, 'station.code_claimed', wanted);
    return wanted;
  }
  const taken = codesInUse(db);
  const candidates = [
    ...(current ? [current] : []),
    ...Array.from({ length: 26 }, (_, i) => String.fromCharCode(65 + i)).filter(
      (c) => c !== current && !taken.has(c),
    ),
  ];
  for (const code of candidates) {
    const r = await tryClaim(db, gw, code, stationName);
    if (r.mine) {
      setStationCode(db, code);
      setSetting(db, 'station.code_claimed', code);
      return code;
    }
  }
  throw new AppError(
    'conflict',
    'Every one-letter station code is taken: a manager must choose one (Settings).',
  );
}
