// Issue 23 item 7: a station joining a shop gets the shop's staff (names, roles, PIN hashes) from Stripe, and
// anyone signs in with their passcode alone; PINs travel only as salted scrypt hashes.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../electron/emulator';
import { MANAGER_PIN, STAFF_PIN, startHarness, type Harness } from '../../../helpers/core-harness';
import { STAFF_RECORD_ID } from '../../../../electron/core/auth/staff-shared';

let emulator: RunningEmulator;
const open: Harness[] = [];
beforeEach(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
  await emulator.close();
});
const station = async (name: string, accounts = true) => {
  const h = await startHarness({ emulator, station: name, accounts });
  open.push(h);
  return h;
};

describe('the shop’s staff in Stripe', () => {
  it('a joining station gets the staff, and each signs in with their passcode alone', async () => {
    const front = await station('Front desk');
    // In Stripe: one key per person, a scrypt hash — never the PIN itself.
    const record = await front.stripe.products.retrieve(STAFF_RECORD_ID);
    expect(record.active).toBe(false);
    const people = Object.entries(record.metadata).filter(([k]) => k.startsWith('u_'));
    expect(people).toHaveLength(2);
    for (const [key, value] of people) {
      expect(key.length).toBeLessThanOrEqual(40);
      expect(value.length).toBeLessThanOrEqual(500);
      expect(value).toMatch(/"h":"scrypt\$16384\$8\$1\$/);
      expect(value).not.toContain(MANAGER_PIN);
      expect(value).not.toContain(STAFF_PIN);
    }

    // A new station, from an empty folder: no manager to set up; the shop's people are there.
    const pack = await station('Packing', false);
    expect((await pack.call('auth:status', {}, 'x')).needsSetup).toBe(true); // not read yet (no auto start here)
    expect(await pack.services.staffShare.bringIn()).toBe(true);
    expect((await pack.call('auth:status', {}, 'x')).needsSetup).toBe(false);
    const sam = await pack.call('auth:login', { name: '', pin: STAFF_PIN }, 'till');
    expect(sam).toMatchObject({ name: 'Sam Staff', role: 'staff' });
    const morgan = await pack.call('auth:login', { pin: MANAGER_PIN }, 'office');
    expect(morgan).toMatchObject({ name: 'Morgan Manager', role: 'manager' });
    const wrong = await pack.raw('auth:login', { pin: '0000' }, 'till2');
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.error.code).toBe('bad_pin');

    // An account added at the packing desk reaches the front desk through the sync applier.
    await pack.call(
      'users:create',
      { name: 'Pat Packer', role: 'staff', pin: '8642', managerPin: MANAGER_PIN },
      'office',
    );
    await front.sync();
    expect((await front.call('auth:login', { pin: '8642' }, 'pat')).name).toBe('Pat Packer');

    // A PIN changed at the front desk is the PIN at the packing desk too.
    await front.call('auth:changePin', { currentPin: '8642', newPin: '9753' }, 'pat');
    await pack.sync();
    expect((await pack.raw('auth:login', { pin: '8642' }, 'pat2')).ok).toBe(false);
    expect((await pack.call('auth:login', { pin: '9753' }, 'pat2')).name).toBe('Pat Packer');

    // Disabled at one station: refused at the other.
    const patId = (await front.call('users:list', {})).find((u) => u.name === 'Pat Packer')!.id;
    await front.call('users:update', { userId: patId, disabled: true, managerPin: MANAGER_PIN });
    await pack.sync();
    expect((await pack.raw('auth:login', { pin: '9753' }, 'pat3')).ok).toBe(false);
  });

  it('refuses a PIN another account has (a passcode alone names its person)', async () => {
    const front = await station('Front desk');
    const r = await front.raw(
      'users:create',
      { name: 'Dana Duplicate', role: 'staff', pin: STAFF_PIN, managerPin: MANAGER_PIN },
      'manager',
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('conflict');
      expect(r.error.message).toContain('Another account already has that PIN');
    }
    expect((await front.call('users:list', {})).map((u) => u.name)).not.toContain('Dana Duplicate');
  });

  it('a station from before offers its own people up once; same names keep the shop’s', async () => {
    const front = await station('Front desk');
    const old = await station('Back office'); // its own Morgan and Sam (same names), before it joined
    await old.call(
      'users:create',
      { name: 'Olga Office', role: 'manager', pin: '2222', managerPin: MANAGER_PIN },
      'manager',
    );
    await old.services.staffShare.bringIn();
    await front.sync();
    const names = (await front.call('users:list', {})).map((u) => u.name).sort();
    expect(names).toEqual(['Morgan Manager', 'Olga Office', 'Sam Staff']);
    expect((await front.call('auth:login', { pin: '2222' }, 'olga')).name).toBe('Olga Office');
  });

  it('five wrong passcodes lock passcode sign-in at this station; a name and PIN still work', async () => {
    const front = await station('Front desk');
    for (let i = 0; i < 5; i++) {
      const r = await front.raw('auth:login', { pin: '0000' }, `guess${i}`);
      expect(r.ok).toBe(false);
    }
    const locked = await front.raw('auth:login', { pin: STAFF_PIN }, 'sam');
    expect(locked.ok).toBe(false);
    if (!locked.ok) expect(locked.error.code).toBe('locked');
    expect((await front.call('auth:login', { name: 'Sam Staff', pin: STAFF_PIN }, 'sam')).name).toBe(
      'Sam Staff',
    );
  });
});
