// The audit log: append-only (SQLite triggers refuse UPDATE and DELETE) and hash-chained, so an edit made
// behind the console's back — a row changed with the triggers dropped — breaks the chain and is reported.
// The newest entry is anchored: each append also writes the chain's head (seq and hash) to audit_anchor,
// sealed with an HMAC whose key is kept in the OS keychain (setAuditAnchorKey), so rows deleted from the end —
// which leave a shorter chain that still links — no longer match the anchor, and a new anchor can't be forged
// without the keychain.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../store/db';
import type { AuditEntry } from '../../ipc/contract';

export interface AuditInput {
  at: number;
  actor: string;
  station: string;
  action: string;
  subject: string;
  idempotencyKey?: string | null;
  stripeRequestId?: string | null;
  before?: unknown;
  after?: unknown;
}

const GENESIS = '0'.repeat(64);

interface Row {
  seq: number;
  at: number;
  actor: string;
  station: string;
  action: string;
  subject: string;
  idempotency_key: string | null;
  stripe_request_id: string | null;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

function hashOf(prev: string, r: Omit<Row, 'prev_hash' | 'hash'>): string {
  const canonical = JSON.stringify([
    prev,
    r.seq,
    r.at,
    r.actor,
    r.station,
    r.action,
    r.subject,
    r.idempotency_key,
    r.stripe_request_id,
    r.before_json,
    r.after_json,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

const anchorKeys = new WeakMap<Db, Buffer>();
/**
 * The key that seals the chain's head for this database (from the secret store; set once at start-up). An
 * anchor sealed before there was a key (by the migration that added anchors) is sealed again with it.
 */
export function setAuditAnchorKey(db: Db, key: Buffer, resealUnkeyed: boolean): boolean {
  const anchor = db.prepare('SELECT seq, hash, seal FROM audit_anchor WHERE id = 1').get() as
    { seq: number; hash: string; seal: string } | undefined;
  const unkeyed = anchor && anchor.seal === sealOf(db, anchor.seq, anchor.hash);
  anchorKeys.set(db, key);
  // Only once, the first time the station has a key (the caller keeps that fact in the keychain, out of reach
  // of whoever can edit the database): later, an unkeyed seal is a forged one, and stays broken.
  if (anchor && unkeyed && resealUnkeyed) {
    db.prepare('UPDATE audit_anchor SET seal = ? WHERE id = 1').run(sealOf(db, anchor.seq, anchor.hash));
    return true;
  }
  return false;
}
// Without a keychain key (a test, a tool) the seal still catches rows deleted from the end, not a forged head.
const UNKEYED = Buffer.from('merchant-console audit anchor');
const sealOf = (db: Db, seq: number, hash: string): string =>
  createHmac('sha256', anchorKeys.get(db) ?? UNKEYED)
    .update(`${seq}|${hash}`)
    .digest('hex');

/** Append one entry. Call inside the same transaction as the change it describes. */
export function appendAudit(db: Db, e: AuditInput): number {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const row = {
    seq: (last?.seq ?? 0) + 1,
    at: e.at,
    actor: e.actor,
    station: e.station,
    action: e.action,
    subject: e.subject,
    idempotency_key: e.idempotencyKey ?? null,
    stripe_request_id: e.stripeRequestId ?? null,
    before_json: e.before === undefined ? null : JSON.stringify(e.before),
    after_json: e.after === undefined ? null : JSON.stringify(e.after),
  };
  const prev = last?.hash ?? GENESIS;
  db.prepare(
    `INSERT INTO audit_log (seq, at, actor, station, action, subject, idempotency_key, stripe_request_id,
       before_json, after_json, prev_hash, hash)
     VALUES (@seq, @at, @actor, @station, @action, @subject, @idempotency_key, @stripe_request_id,
       @before_json, @after_json, @prev_hash, @hash)`,
  ).run({ ...row, prev_hash: prev, hash: hashOf(prev, row) });
  const hash = hashOf(prev, row);
  db.prepare(
    `INSERT INTO audit_anchor (id, seq, hash, seal) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, seal = excluded.seal`,
  ).run(row.seq, hash, sealOf(db, row.seq, hash));
  return row.seq;
}

const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  station: r.station,
  action: r.action,
  subject: r.subject,
  idempotencyKey: r.idempotency_key,
  stripeRequestId: r.stripe_request_id,
  before: r.before_json ? (JSON.parse(r.before_json) as unknown) : null,
  after: r.after_json ? (JSON.parse(r.after_json) as unknown) : null,
});

export function listAudit(db: Db, limit: number): AuditEntry[] {
  return (db.prepare('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?').all(limit) as Row[]).map(toEntry);
}

export interface AuditFilter {
  actor?: string | undefined;
  /** An action, or the start of one ("order." finds every order action). */
  action?: string | undefined;
  /** Any part of the subject (an id); an order number ("A1042") also finds that order's cart and payment. */
  subject?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** The log newest first, filtered: who, what, which order or payment, when. */
export function searchAudit(db: Db, f: AuditFilter, limit: number, offset = 0): AuditEntry[] {
  const where: string[] = [];
  const args: unknown[] = [];
  const like = (v: string) => v.replace(/[\\%_]/g, (c) => `\\${c}`);
  if (f.actor) {
    where.push('actor = ? COLLATE NOCASE');
    args.push(f.actor);
  }
  if (f.action) {
    where.push(`action LIKE ? ESCAPE '\\'`);
    args.push(`${like(f.action)}%`);
  }
  if (f.subject) {
    // An order number stands for its order, its cart and its payment.
    const m = /^#?\s*([A-Za-z]{1,3})?[\s-]?(\d{1,9})$/.exec(f.subject.trim());
    const ids = m
      ? (db
          .prepare(
            'SELECT id, payment_intent_id, cart_id FROM orders WHERE number = ? AND (? IS NULL OR station_code = ?)',
          )
          .all(Number(m[2]), m[1]?.toUpperCase() ?? null, m[1]?.toUpperCase() ?? null) as {
          id: string;
          payment_intent_id: string;
          cart_id: string | null;
        }[])
      : [];
    const subjects = ids.flatMap((o) => [o.id, o.payment_intent_id, ...(o.cart_id ? [o.cart_id] : [])]);
    where.push(
      `(subject LIKE ? ESCAPE '\\'${subjects.length ? ` OR subject IN (${subjects.map(() => '?').join(',')})` : ''})`,
    );
    args.push(`%${like(f.subject.trim())}%`, ...subjects);
  }
  if (f.from !== undefined) {
    where.push('at >= ?');
    args.push(f.from);
  }
  if (f.to !== undefined) {
    where.push('at < ?');
    args.push(f.to);
  }
  const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ? OFFSET ?`;
  // Staff read order numbers: an order's, its cart's or its payment's entry is labelled with the number.
  const numberOf = db.prepare(
    `SELECT coalesce(station_code, '') || number FROM orders WHERE id = @s OR cart_id = @s OR payment_intent_id = @s LIMIT 1`,
  );
  return (db.prepare(sql).all(...args, limit, offset) as Row[]).map((r) => {
    const n = numberOf.pluck().get({ s: r.subject }) as string | undefined;
    return { ...toEntry(r), subjectLabel: n ? `#${n}` : null };
  });
}

export function auditForSubjects(db: Db, subjects: string[]): AuditEntry[] {
  if (subjects.length === 0) return [];
  const q = `SELECT * FROM audit_log WHERE subject IN (${subjects.map(() => '?').join(',')}) ORDER BY seq`;
  return (db.prepare(q).all(...subjects) as Row[]).map(toEntry);
}

/** Anchor the chain as it stands (the migration that added anchors, for a log that had none). */
export function anchorAuditChain(db: Db): void {
  const last = db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; hash: string } | undefined;
  const seq = last?.seq ?? 0;
  const hash = last?.hash ?? GENESIS;
  db.prepare(
    `INSERT INTO audit_anchor (id, seq, hash, seal) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, seal = excluded.seal`,
  ).run(seq, hash, sealOf(db, seq, hash));
}

/**
 * Walk the whole chain; report the first entry whose hash or link does not hold. Then hold the chain's end
 * against the sealed anchor: entries removed from the end, or an anchor not sealed with this station's key,
 * break it at the anchored entry.
 */
export function verifyAudit(db: Db): { ok: boolean; entries: number; brokenAt: number | null } {
  let prev = GENESIS;
  let n = 0;
  let expectedSeq = 1;
  for (const r of db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<Row>) {
    n++;
    if (r.seq !== expectedSeq || r.prev_hash !== prev || hashOf(prev, r) !== r.hash) {
      return { ok: false, entries: n, brokenAt: r.seq };
    }
    prev = r.hash;
    expectedSeq++;
  }
  const anchor = db.prepare('SELECT seq, hash, seal FROM audit_anchor WHERE id = 1').get() as
    { seq: number; hash: string; seal: string } | undefined;
  if (anchor) {
    const seal = Buffer.from(sealOf(db, anchor.seq, anchor.hash), 'hex');
    const given = Buffer.from(anchor.seal, 'hex');
    const sealed = given.length === seal.length && timingSafeEqual(given, seal);
    // The anchor is written in the same transaction as every append, so it names the last entry.
    if (!sealed || prev !== anchor.hash || anchor.seq !== n)
      return { ok: false, entries: n, brokenAt: Math.max(1, Math.min(anchor.seq, n + 1)) };
    return { ok: true, entries: n, brokenAt: null };
  }
  // Every log has an anchor since migration 010 made one: a missing anchor is a removed one.
  return { ok: false, entries: n, brokenAt: Math.max(1, n) };
}
