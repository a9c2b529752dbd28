// Staff and manager accounts, PIN sign-in with lockout, and the per-window session that every handler
// checks. The renderer never says who it is: main looks the caller up by its client id.
import type { Db } from '../store/db';
import type { Clock, IdGenerator } from '../ports';
import type { CallContext } from '../dispatch';
import { AppError } from '../../ipc/errors';
import type { Role, User } from '../../ipc/contract';
import { hashPin, verifyPin } from './pin';
import { appendAudit } from '../audit/audit-log';

export const MAX_PIN_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;
export const LOCKOUT_MAX_MS = 24 * 60 * 60_000;

/**
 * How long the n-th lockout in a row lasts (n = 1, 2, …; a right PIN starts again at 1): 5 minutes, doubled each
 * time, at most a day. Five guesses a lockout, so the 10,000 four-digit PINs take years, not a week.
 */
export function lockoutMs(n: number): number {
  return Math.min(LOCKOUT_MAX_MS, LOCKOUT_MS * 2 ** Math.max(0, Math.min(n - 1, 20)));
}

interface Row {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  failed_attempts: number;
  locked_until: number | null;
  lockouts: number;
  disabled: number;
}

const toUser = (r: Row): User => ({ id: r.id, name: r.name, role: r.role, disabled: r.disabled === 1 });

export interface Actor extends User {
  station: string;
}

export class AuthService {
  private readonly sessions = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly station: () => string,
  ) {}

  needsSetup(): boolean {
    return (
      (
        this.db.prepare(`SELECT count(*) AS n FROM users WHERE role = 'manager' AND disabled = 0`).get() as {
          n: number;
        }
      ).n === 0
    );
  }

  /** The first run creates a manager; afterwards this channel refuses. */
  setup(name: string, pin: string, ctx: CallContext): User {
    if (!this.needsSetup())
      throw new AppError('conflict', 'The console already has a manager account. Sign in instead.');
    const user = this.insert(name, 'manager', pin);
    this.sessions.set(ctx.clientId, user.id);
    return user;
  }

  /**
   * Sign in with a passcode alone (as at a shop's till): passcodes are unique within the shop, so the one
   * active account whose PIN it is signs in. Wrong passcodes count per station: five lock passcode sign-in here
   * for five minutes (a name and PIN still work, with that account's own lockout).
   */
  private pinOnly = { failures: 0, lockedUntil: 0 };
  private loginByPin(pin: string, ctx: CallContext): User {
    const now = this.clock.now();
    if (this.pinOnly.lockedUntil > now) {
      const mins = Math.ceil((this.pinOnly.lockedUntil - now) / 60_000);
      throw new AppError(
        'locked',
        `Too many wrong passcodes at this station. Sign in with your name, or wait ${mins} minute${mins === 1 ? '' : 's'}.`,
      );
    }
    const rows = this.db.prepare('SELECT * FROM users WHERE disabled = 0').all() as Row[];
    const found = rows.find((r) => !(r.locked_until && r.locked_until > now) && verifyPin(pin, r.pin_hash));
    if (!found) {
      this.pinOnly.failures++;
      if (this.pinOnly.failures >= MAX_PIN_FAILURES)
        this.pinOnly = { failures: 0, lockedUntil: now + LOCKOUT_MS };
      throw new AppError('bad_pin', 'That passcode does not match an active account.');
    }
    this.pinOnly.failures = 0;
    this.db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL WHERE id = ?').run(found.id);
    this.sessions.set(ctx.clientId, found.id);
    return toUser(found);
  }

  /** Passcodes are unique within the shop (a PIN alone names its person): refuse one another account has. */
  private refuseTakenPin(pin: string, exceptId: string | null): void {
    const rows = this.db.prepare('SELECT * FROM users WHERE disabled = 0').all() as Row[];
    if (rows.some((r) => r.id !== exceptId && verifyPin(pin, r.pin_hash)))
      throw new AppError(
        'conflict',
        'Another account already has that PIN. Choose another: a PIN alone signs its person in.',
      );
  }

  login(name: string, pin: string, ctx: CallContext): User {
    if (!name.trim()) return this.loginByPin(pin, ctx);
    const row = this.db.prepare('SELECT * FROM users WHERE name = ?').get(name) as Row | undefined;
    const now = this.clock.now();
    if (!row || row.disabled)
      throw new AppError('bad_pin', 'That name and PIN do not match an active account.');
    if (row.locked_until && row.locked_until > now) {
      const mins = Math.ceil((row.locked_until - now) / 60_000);
      throw new AppError(
        'locked',
        `Too many wrong PINs. This account is locked for ${mins} more minute${mins === 1 ? '' : 's'}.`,
      );
    }
    if (!verifyPin(pin, row.pin_hash)) {
      this.recordFailure(row, now);
      throw new AppError('bad_pin', 'That name and PIN do not match an active account.');
    }
    this.db
      .prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL, lockouts = 0 WHERE id = ?')
      .run(row.id);
    this.sessions.set(ctx.clientId, row.id);
    return toUser(row);
  }

  logout(ctx: CallContext): void {
    this.sessions.delete(ctx.clientId);
  }

  current(ctx: CallContext): User | null {
    const id = this.sessions.get(ctx.clientId);
    if (!id) return null;
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
    if (!row || row.disabled) {
      this.sessions.delete(ctx.clientId);
      return null;
    }
    return toUser(row);
  }

  /** The signed-in actor, or an error. `role: 'manager'` also refuses staff. */
  require(ctx: CallContext, role: Role = 'staff'): Actor {
    const user = this.current(ctx);
    if (!user) throw new AppError('unauthenticated', 'Sign in first.');
    if (role === 'manager' && user.role !== 'manager') {
      throw new AppError('forbidden', 'Only a manager can do this.');
    }
    return { ...user, station: this.station() };
  }

  /** Money actions: the manager re-enters their PIN. Wrong PINs count towards the lockout. */
  requireManagerPin(ctx: CallContext, pin: string): Actor {
    const actor = this.require(ctx, 'manager');
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(actor.id) as Row;
    const now = this.clock.now();
    if (row.locked_until && row.locked_until > now)
      throw new AppError('locked', 'Too many wrong PINs. Try again later.');
    if (!verifyPin(pin, row.pin_hash)) {
      this.recordFailure(row, now);
      throw new AppError('bad_pin', 'That PIN is not right.');
    }
    this.db.prepare('UPDATE users SET failed_attempts = 0, lockouts = 0 WHERE id = ?').run(row.id);
    return actor;
  }

  /**
   * A manager allows something at another person's station (a discount above the shop's limit): their PIN
   * alone names them (PINs are unique within the shop). Wrong PINs count with the station's passcode
   * failures, so guessing here locks like guessing at sign-in. Returns the manager's name.
   */
  approveByManagerPin(pin: string): string {
    const now = this.clock.now();
    if (this.pinOnly.lockedUntil > now)
      throw new AppError('locked', 'Too many wrong PINs at this station. Try again in a few minutes.');
    const rows = this.db
      .prepare(`SELECT * FROM users WHERE disabled = 0 AND role = 'manager'`)
      .all() as Row[];
    const found = rows.find((r) => !(r.locked_until && r.locked_until > now) && verifyPin(pin, r.pin_hash));
    if (!found) {
      this.pinOnly.failures++;
      if (this.pinOnly.failures >= MAX_PIN_FAILURES)
        this.pinOnly = { failures: 0, lockedUntil: now + LOCKOUT_MS };
      throw new AppError('bad_pin', 'That is not a manager’s PIN.');
    }
    this.pinOnly.failures = 0;
    return found.name;
  }

  list(): User[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY name').all() as Row[]).map(toUser);
  }

  create(name: string, role: Role, pin: string): User {
    return this.insert(name, role, pin);
  }

  update(userId: string, patch: { role?: Role; disabled?: boolean; pin?: string }, by: Actor): User {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(userId) as Row | undefined;
    if (!row) throw new AppError('not_found', 'No such account.');
    const demoting = (patch.role === 'staff' || patch.disabled === true) && row.role === 'manager';
    if (demoting) {
      const managers = (
        this.db.prepare(`SELECT count(*) AS n FROM users WHERE role = 'manager' AND disabled = 0`).get() as {
          n: number;
        }
      ).n;
      if (managers <= 1)
        throw new AppError('precondition_failed', 'The console needs at least one active manager.');
    }
    if (patch.disabled === true && userId === by.id)
      throw new AppError('precondition_failed', 'You cannot disable your own account.');
    if (patch.pin) this.refuseTakenPin(patch.pin, userId);
    this.db
      .prepare(
        `UPDATE users SET role = coalesce(?, role), disabled = coalesce(?, disabled), pin_hash = coalesce(?, pin_hash),
           failed_attempts = CASE WHEN ? IS NULL THEN failed_attempts ELSE 0 END,
           locked_until = CASE WHEN ? IS NULL THEN locked_until ELSE NULL END,
           lockouts = CASE WHEN ? IS NULL THEN lockouts ELSE 0 END WHERE id = ?`,
      )
      .run(
        patch.role ?? null,
        patch.disabled === undefined ? null : patch.disabled ? 1 : 0,
        patch.pin ? hashPin(patch.pin) : null,
        patch.pin ?? null,
        patch.pin ?? null,
        patch.pin ?? null,
        userId,
      );
    return toUser(this.db.prepare('SELECT * FROM users WHERE id = ?').get(userId) as Row);
  }

  /** Anyone signed in changes their own PIN, proving the current one (wrong ones count towards the lockout). */
  changeOwnPin(ctx: CallContext, currentPin: string, newPin: string): User {
    const actor = this.require(ctx);
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(actor.id) as Row;
    const now = this.clock.now();
    if (row.locked_until && row.locked_until > now)
      throw new AppError('locked', 'Too many wrong PINs. Try again later.');
    if (!verifyPin(currentPin, row.pin_hash)) {
      this.recordFailure(row, now);
      throw new AppError('bad_pin', 'Your current PIN is not right.');
    }
    if (currentPin === newPin)
      throw new AppError('invalid_input', 'The new PIN is the same as the current one.');
    this.refuseTakenPin(newPin, row.id);
    this.db
      .prepare('UPDATE users SET pin_hash = ?, failed_attempts = 0, locked_until = NULL WHERE id = ?')
      .run(hashPin(newPin), row.id);
    return toUser(this.db.prepare('SELECT * FROM users WHERE id = ?').get(row.id) as Row);
  }

  private insert(name: string, role: Role, pin: string): User {
    const exists = this.db.prepare('SELECT 1 FROM users WHERE name = ?').get(name);
    if (exists) throw new AppError('conflict', `There is already an account named ${name}.`);
    this.refuseTakenPin(pin, null);
    const id = this.ids.id('usr');
    this.db
      .prepare('INSERT INTO users (id, name, role, pin_hash, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(id, name, role, hashPin(pin), this.clock.now());
    return { id, name, role, disabled: false };
  }

  private recordFailure(row: Row, now: number): void {
    const failures = row.failed_attempts + 1;
    if (failures < MAX_PIN_FAILURES) {
      this.db.prepare('UPDATE users SET failed_attempts = ? WHERE id = ?').run(failures, row.id);
      return;
    }
    // Locked: each lockout in a row lasts twice the one before, and the log says so (who, how long, the how-many-th).
    const lockouts = row.lockouts + 1;
    const ms = lockoutMs(lockouts);
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE users SET failed_attempts = 0, locked_until = ?, lockouts = ? WHERE id = ?')
        .run(now + ms, lockouts, row.id);
      appendAudit(this.db, {
        at: now,
        actor: row.name,
        station: this.station(),
        action: 'user.locked',
        subject: row.id,
        after: { lockouts, minutes: Math.round(ms / 60_000), until: now + ms, wrongPins: MAX_PIN_FAILURES },
      });
    })();
  }
}
