// Migration 016: a PaymentIntent's canceled_at (Stripe's time of the cancel), filled in from the events this station
// kept — from the event's object, or the event's own time when the object did not say.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Db } from '../../../../electron/core/store/db';
import { LATEST_VERSION } from '../../../../electron/core/store/migrations';

const tmp = () => join(mkdtempSync(join(tmpdir(), 'mc-db16-')), 'console.sqlite');

const insertPi = (db: Db, id: string, status: string) =>
  db
    .prepare(
      `INSERT INTO payment_intents (id, status, status_rank, amount, currency, capture_method, snapshot_at, created, updated_at)
       VALUES (?, ?, 6, 8900, 'usd', 'automatic', 1790000000, 1790000000, 1790000000000)`,
    )
    .run(id, status);
const insertEvent = (db: Db, id: string, piId: string, created: number, object: Record<string, unknown>) =>
  db
    .prepare(
      `INSERT INTO stripe_events (id, type, created, object_id, source, outcome, received_at, payload)
       VALUES (?, 'payment_intent.canceled', ?, ?, 'poll', 'applied', ?, ?)`,
    )
    .run(id, created, piId, created * 1000, JSON.stringify({ id, created, data: { object: object } }));

describe('migration 016-payment-intent-canceled-at', () => {
  it('fills in when each cancelled PaymentIntent was cancelled from its event; others stay unknown', () => {
    const path = tmp();
    const v15 = openDatabase(path, { targetVersion: 15 });
    insertPi(v15, 'pi_Dashboard', 'canceled');
    insertEvent(v15, 'evt_1', 'pi_Dashboard', 1_790_000_500, {
      id: 'pi_Dashboard',
      status: 'canceled',
      canceled_at: 1_790_000_499,
    });
    // An event whose object does not say (an older ledger's compacted copy): the event's own time.
    insertPi(v15, 'pi_NoField', 'canceled');
    insertEvent(v15, 'evt_2', 'pi_NoField', 1_790_000_600, { id: 'pi_NoField', status: 'canceled' });
    // Cancelled, but its event is not kept here: the next snapshot of it says.
    insertPi(v15, 'pi_NoEvent', 'canceled');
    insertPi(v15, 'pi_Paid', 'succeeded');
    v15.close();

    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const at = Object.fromEntries(
      (
        db.prepare('SELECT id, canceled_at FROM payment_intents').all() as {
          id: string;
          canceled_at: number | null;
        }[]
      ).map((r) => [r.id, r.canceled_at]),
    );
    expect(at).toEqual({
      pi_Dashboard: 1_790_000_499,
      pi_NoField: 1_790_000_600,
      pi_NoEvent: null,
      pi_Paid: null,
    });
    db.close();
  });
});
