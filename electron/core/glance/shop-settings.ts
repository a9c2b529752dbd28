// The shop's own settings kept at this station (the settings table): the name printed on receipts and slips,
// the time zone "today" is counted in (this machine's until one is chosen), and the shipping fee offered for a
// new order. Each station of a shop is set up alike; none of them is money or part of Stripe's record.
import type { Db } from '../store/db';
import type { ShopSettings } from '../../ipc/contract';
import { AppError } from '../../ipc/errors';
import { isTimeZone, machineTimeZone } from './time-zone';

const NAME = 'shop.name';
const ZONE = 'shop.time_zone';
const FEE = 'shop.shipping_fee';
export const DEFAULT_SHOP_NAME = 'Our shop';

function read(db: Db, key: string): string | null {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}

function write(db: Db, key: string, value: string | null): void {
  if (value === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  else
    db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
}

export function shopSettings(db: Db, machineZone: () => string = machineTimeZone): ShopSettings {
  const zone = read(db, ZONE);
  const valid = zone !== null && isTimeZone(zone);
  const fee = Number(read(db, FEE) ?? '0');
  return {
    name: read(db, NAME) ?? DEFAULT_SHOP_NAME,
    timeZone: valid ? zone : machineZone(),
    timeZoneIsDefault: !valid,
    defaultShippingFee: Number.isSafeInteger(fee) && fee >= 0 ? fee : 0,
  };
}

export function updateShopSettings(
  db: Db,
  patch: {
    name?: string | undefined;
    timeZone?: string | null | undefined;
    defaultShippingFee?: number | undefined;
  },
): void {
  if (patch.timeZone && !isTimeZone(patch.timeZone))
    throw new AppError('invalid_input', `“${patch.timeZone}” is not a time zone this computer knows.`, {
      issues: [{ path: 'timeZone', message: 'not a known time zone' }],
    });
  db.transaction(() => {
    if (patch.name !== undefined) write(db, NAME, patch.name.trim());
    if (patch.timeZone !== undefined) write(db, ZONE, patch.timeZone);
    if (patch.defaultShippingFee !== undefined) write(db, FEE, String(patch.defaultShippingFee));
  })();
}
