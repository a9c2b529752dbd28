// Forwarded webhooks that arrive together are applied in one transaction (issue 22), each acknowledged only
// once it is committed; an event that can't be applied fails alone.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { quietLogger, startHarness, type Harness } from '../../../helpers/core-harness';
import { startWebhookReceiver } from '../../../../electron/core/sync/webhook-receiver';

const SECRET = 'whsec_test_batching';
let h: Harness;
beforeEach(async () => {
  h = await startHarness({ accounts: false });
});
afterEach(async () => {
  await h.close();
});

const inLedger = (id: string) =>
  h.services.db.prepare('SELECT 1 FROM stripe_events WHERE id = ?').pluck().get(id) !== undefined;

async function someEvents(payments: number): Promise<Stripe.Event[]> {
  for (let i = 0; i < payments; i++)
    await h.stripe.paymentIntents.create({
      amount: 1000 + i,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
  return (await h.stripe.events.list({ limit: 100 })).data.reverse();
}

describe('webhook receiver, grouping', () => {
  it('groups events arriving together into one transaction; each 200 comes after its commit; a bad one fails alone', async () => {
    const events = await someEvents(10);
    expect(events.length).toBeGreaterThanOrEqual(30);
    let poison = events[7]!.id;
    const poisoned = poison;
    const batches: number[] = [];
    let committed = new Set<string>();
    const receiver = await startWebhookReceiver({
      port: 0,
      secret: () => SECRET,
      verify: (raw, sig, sec) => h.services.gateway().constructWebhookEvent(raw, sig, sec),
      ingest: () => {
        throw new Error('not used when grouping');
      },
      ingestBatch: (group) => {
        batches.push(group.length);
        if (group.some((e) => e.id === poison)) throw new Error('cannot apply this one');
        h.services.sync.ingest(group, 'webhook');
        committed = new Set([...committed, ...group.map((e) => e.id)]);
      },
      logger: quietLogger,
    });
    try {
      const send = async (e: Stripe.Event) => {
        const body = JSON.stringify(e);
        const res = await fetch(`http://127.0.0.1:${receiver.port}/webhook`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
          },
          body,
        });
        // Acknowledged only once in the ledger, committed.
        if (res.status === 200) {
          expect(committed.has(e.id)).toBe(true);
          expect(inLedger(e.id)).toBe(true);
        }
        return res.status;
      };
      const statuses = await Promise.all(events.map(send));
      expect(statuses.filter((s) => s === 500)).toHaveLength(1);
      expect(statuses[7]).toBe(500);
      expect(inLedger(poisoned)).toBe(false);
      expect(events.filter((e) => e.id !== poisoned).every((e) => inLedger(e.id))).toBe(true);
      // Grouped: fewer transactions than events (the failed group is then applied event by event).
      expect(Math.max(...batches)).toBeGreaterThan(1);
      // Stripe redelivers the one that failed; once it can be applied, it goes in.
      poison = '';
      expect(await send(events[7]!)).toBe(200);
      expect(inLedger(poisoned)).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it('a lone event is not held back beyond the window', async () => {
    const [event] = await someEvents(1);
    const receiver = await startWebhookReceiver({
      port: 0,
      secret: () => SECRET,
      verify: (raw, sig, sec) => h.services.gateway().constructWebhookEvent(raw, sig, sec),
      ingest: () => undefined,
      ingestBatch: (group) => void h.services.sync.ingest(group, 'webhook'),
      batchWindowMs: 2,
      logger: quietLogger,
    });
    try {
      const body = JSON.stringify(event);
      const res = await fetch(`http://127.0.0.1:${receiver.port}/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body, secret: SECRET }),
        },
        body,
      });
      expect(res.status).toBe(200);
      expect(inLedger(event!.id)).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
