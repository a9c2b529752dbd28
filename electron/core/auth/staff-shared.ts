// The shop's staff as part of Stripe's shared record: a station joining a shop gets its people (names, roles,
// PINs), so nobody sets up accounts twice and everyone signs in with their passcode at any desk.
//
// Where: one Product with an id of our own, `mc_shop_staff` (inactive, no price, no SKU: never sold), one
// metadata key per person, `u_<account id>`, whose value is {n: name, r: role, d: disabled, h: PIN hash} as JSON
// (about 150 characters; 49 people fit under Stripe's 50 keys). Who writes: managers (accounts) and each person
// (their own PIN), from any station. How writes combine: per key — two managers changing two people both keep
// theirs; for one person the later write at Stripe wins. Stations project the snapshot with the newest `updated`
// (Stripe's time). Lockouts (failed attempts) stay per station.
//
// How PINs are kept safe when shared: never in clear text — a slow salted hash, scrypt (N=16384, r=8, p=1) with a
// random 16-byte salt per person, compared in constant time (auth/pin.ts). What that does and does not protect:
// metadata is not shown to customers, but anyone holding the shop's Stripe secret key (or a Dashboard login)
// can read the hashes, and a 4–8 digit PIN has at most 10^8 values: at tens of milliseconds per guess a 4-digit
// PIN falls in minutes on one computer, an 8-digit one in months. So the PIN guards the console, not Stripe: a
// thief with the secret key can already move the shop's money without any PIN. Keep the key in the OS keychain
// (the console does), use longer PINs for managers, and rotate the key and every PIN if a computer is stolen.
// Passcodes are unique within a shop (a PIN alone names its person), so a new PIN that matches another active
// person's is refused.
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { StripeGateway } from '../stripe/gateway';
import type { Role } from '../../ipc/contract';

export const STAFF_RECORD_ID = 'mc_shop_staff';
const KEY_PREFIX = 'u_';
const SNAPSHOT = 'staff.record_updated';
const MIGRATED = 'staff.record_migrated';
/** People whose latest change has not reached Stripe yet (Stripe unreachable): sent again later. */
const PENDING = 'staff.pending';

interface Person {
  n: string;
  r: Role;
  d: 0 | 1;
  h: string;
}

interface UserRow {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  disabled: number;
}

function setting(db: Db, key: string): string | null {
  const r = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
  return r?.value ?? null;
}
function setSetting(db: Db, key: string, value: string): void {
  db.prepare(
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

export const isStaffRecord = (obj: { id?: string; object?: string } | null | undefined): boolean =>
  obj?.object === 'product' && obj.id === STAFF_RECORD_ID;

function encode(row: UserRow): string {
  const p: Person = { n: row.name, r: row.role, d: row.disabled ? 1 : 0, h: row.pin_hash };
  return JSON.stringify(p);
}

function decode(value: string): Person | null {
  try {
    const p = JSON.parse(value) as Partial<Person>;
    if (typeof p.n !== 'string' || !p.n || (p.r !== 'staff' && p.r !== 'manager') || typeof p.h !== 'string')
      return null;
    return { n: p.n, r: p.r, d: p.d === 1 ? 1 : 0, h: p.h };
  } catch {
    return null;
  }
}

/**
 * Project the staff record into this station's accounts: returns true when an account changed. An event's
 * snapshot older than the one projected is ignored; Stripe's own answer is applied whatever its time. A person
 * whose name another local account already has (two stations created the same name at once) is left out here.
 */
export function applyStaffRecord(
  db: Db,
  product: Stripe.Product,
  authoritative: boolean,
  nowMs: number,
): boolean {
  if ((product as { deleted?: boolean }).deleted) return false;
  const updated = product.updated ?? product.created;
  const seen = Number(setting(db, SNAPSHOT) ?? '0');
  if (!authoritative && updated < seen) return false;
  let changed = false;
  for (const [key, value] of Object.entries(product.metadata ?? {})) {
    if (!key.startsWith(KEY_PREFIX)) continue;
    const id = key.slice(KEY_PREFIX.length);
    const p = decode(value);
    if (!p) continue;
    const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    if (row && row.name === p.n && row.role === p.r && row.disabled === p.d && row.pin_hash === p.h) continue;
    try {
      if (row)
        db.prepare(
          `UPDATE users SET name = ?, role = ?, disabled = ?, pin_hash = ?,
             failed_attempts = CASE WHEN pin_hash = ? THEN failed_attempts ELSE 0 END WHERE id = ?`,
        ).run(p.n, p.r, p.d, p.h, p.h, id);
      else
        db.prepare(
          'INSERT INTO users (id, name, role, pin_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        ).run(id, p.n, p.r, p.h, p.d, nowMs);
      changed = true;
    } catch {
      /* the name is taken here by another account: that person signs in at their own station until renamed */
    }
  }
  setSetting(db, SNAPSHOT, String(authoritative ? updated : Math.max(updated, seen)));
  return changed;
}

const isMissing = (e: unknown) =>
  (e as { statusCode?: number }).statusCode === 404 || (e as { code?: string }).code === 'resource_missing';
const isTaken = (e: unknown) => (e as { code?: string }).code === 'resource_already_exists';

export class StaffShare {
  constructor(private readonly d: { db: Db; gateway: () => StripeGateway; now: () => number }) {}

  private rows(ids?: string[]): UserRow[] {
    const all = this.d.db.prepare('SELECT id, name, role, pin_hash, disabled FROM users').all() as UserRow[];
    return ids ? all.filter((r) => ids.includes(r.id)) : all;
  }

  private pending(): string[] {
    return JSON.parse(setting(this.d.db, PENDING) ?? '[]') as string[];
  }

  /**
   * Send these people's accounts as this station has them now (after a change here). If Stripe can't be reached
   * they are sent again by the next bringIn(); the change is already in force at this station.
   */
  async publish(ids: string[]): Promise<void> {
    const waiting = [...new Set([...this.pending(), ...ids])];
    setSetting(this.d.db, PENDING, JSON.stringify(waiting));
    const metadata = Object.fromEntries(this.rows(waiting).map((r) => [KEY_PREFIX + r.id, encode(r)]));
    await this.write(metadata);
    // Only sent: the other people in Stripe's answer come to this station through the sync applier (and
    // bringIn), like every other station's change.
    setSetting(this.d.db, PENDING, '[]');
  }

  /**
   * At start (and until it worked once): read the shop's staff from Stripe, making the record if no station has
   * yet; once, this station's own accounts that the shop does not have go up; changes made here while Stripe was
   * unreachable are sent. Returns true when this station's accounts changed.
   */
  async bringIn(): Promise<boolean> {
    let product: Stripe.Product | null;
    try {
      product = await this.d.gateway().retrieveProduct(STAFF_RECORD_ID);
    } catch (e) {
      if (!isMissing(e)) throw e;
      product = null;
    }
    const migrated = setting(this.d.db, MIGRATED) === '1';
    const send: Record<string, string> = {};
    if (!migrated)
      for (const r of this.rows())
        if (!product?.metadata?.[KEY_PREFIX + r.id] && !this.nameTaken(product, r))
          send[KEY_PREFIX + r.id] = encode(r);
    for (const r of this.rows(this.pending())) send[KEY_PREFIX + r.id] = encode(r);
    if (!product || Object.keys(send).length > 0) product = await this.write(send);
    const p = product;
    return this.d.db.transaction(() => {
      setSetting(this.d.db, MIGRATED, '1');
      setSetting(this.d.db, PENDING, '[]');
      return applyStaffRecord(this.d.db, p, true, this.d.now());
    })();
  }

  /** The shop already has someone by this name (another station's account): the shop's is kept. */
  private nameTaken(product: Stripe.Product | null, r: UserRow): boolean {
    return Object.entries(product?.metadata ?? {}).some(
      ([k, v]) => k.startsWith(KEY_PREFIX) && decode(v)?.n.toLowerCase() === r.name.toLowerCase(),
    );
  }

  private async write(metadata: Record<string, string>): Promise<Stripe.Product> {
    const gw = this.d.gateway();
    // Each write has a key of its own (the SDK's retries reuse it): setting a person's record is idempotent in
    // itself, and a key from the content would replay an older answer for a PIN set back within a day.
    try {
      return (await gw.updateProduct(STAFF_RECORD_ID, { metadata }, `mc_staff_upd_${randomUUID()}`)).object;
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    try {
      return (
        await gw.createProduct(
          {
            id: STAFF_RECORD_ID,
            name: 'Shop staff (Merchant Console)',
            active: false,
            description:
              'The shop’s staff accounts, shared by every station of the Merchant Console. Not for sale.',
            metadata,
          },
          `mc_staff_create_${randomUUID()}`,
        )
      ).object;
    } catch (e) {
      if (!isTaken(e)) throw e;
      return (await gw.updateProduct(STAFF_RECORD_ID, { metadata }, `mc_staff_upd_${randomUUID()}`)).object;
    }
  }
}
