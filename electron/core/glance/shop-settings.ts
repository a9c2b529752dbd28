// The shop's settings as this station holds them (the settings table): the name and address printed on receipts
// and slips, the time zone "today" is counted in (this machine's until one is chosen), and the shipping fee
// offered for a new order. They are a projection of the shop's record in Stripe (settings/shop-record.ts, which
// alone writes these keys), so every station reads the same.
import type { Db } from '../store/db';
import type { ShopSettings } from '../../ipc/contract';
import { isTimeZone, machineTimeZone } from './time-zone';

const NAME = 'shop.name';
const ZONE = 'shop.time_zone';
const FEE = 'shop.shipping_fee';
export const DEFAULT_SHOP_NAME = 'Our shop';

function read(db: Db, key: string): string | null {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
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
    address: read(db, 'shop.address') ?? '',
    sharedAt: read(db, 'shop.record_updated') ? Number(read(db, 'shop.record_updated')) * 1000 : null,
  };
}
