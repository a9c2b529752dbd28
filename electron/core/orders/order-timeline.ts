// An order's timeline in the shop's words: one line per thing that happened ("Card authorised — $101.50 held
// until Dec 6", "Hold captured — $50.00 charged; $39.00 released to the customer", "Shipped with UPS 1Z…"), with
// Stripe's own details (event types, ids, keys) folded into `technical` for whoever wants them.
//
// What makes one "thing that happened": one request to Stripe (the console's, another station's, the Dashboard's)
// and every event it caused share its idempotency key or request id; Stripe's own changes (an authorization
// lapsing, a payment going through after the customer authenticated) carry no request and are grouped by the
// second they happened in. The console's audit entry for an action joins the events of its request, so an
// action and Stripe's confirmation of it read as one line.
import type Stripe from 'stripe';
import type { Db } from '../store/db';
import type { AuditEntry, TimelineEntry } from '../../ipc/contract';
import { auditForSubjects } from '../audit/audit-log';
import { formatMoney } from '../../ipc/money';
import { explainDecline } from '../payments/declines';

interface EventRow {
  id: string;
  type: string;
  created: number;
  idempotency_key: string | null;
  request_id: string | null;
  payload: string;
}

interface Ev {
  id: string;
  type: string;
  created: number;
  key: string | null;
  requestId: string | null;
  object: Record<string, unknown>;
  previous: Record<string, unknown> | null;
}

interface Group {
  at: number;
  events: Ev[];
  audits: AuditEntry[];
}

/** A day ("Dec 6") in the shop's zone (its time zone setting: the same words at every station). */
const dayMonthIn = (timeZone: string | undefined): Intl.DateTimeFormat => {
  try {
    return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone });
  } catch {
    return new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric' });
  }
};

/** An audit action ("order.shipped") in the shop's words, for console actions Stripe has not (yet) echoed. */
const AUDIT_TITLES: Record<string, string> = {
  'payment_intent.created': 'Order taken',
  'payment_intent.updated': 'Order changed before payment',
  'payment.succeeded': 'Card charged',
  'payment.requires_capture': 'Card authorised (waitlist hold)',
  'payment.requires_action': 'Bank asked the customer to confirm the payment (3D Secure)',
  'payment.declined': 'Card declined',
  'payment.unconfirmed': 'Payment sent; Stripe has not confirmed it yet',
  'payment.link_sent': 'Secure payment link sent to the customer',
  'hold.captured': 'Hold captured',
  'hold.released': 'Hold released',
  'order.processing': 'Moved to processing',
  'order.shipped': 'Marked shipped',
  'order.collected': 'Collected by the customer',
  'order.refunded': 'Refunded',
  'cart.discarded': 'Order cancelled before payment',
};

/** "Shipped with UPS — 1Z…", however much of it is known. */
export function shippedTitle(carrier: string | null, tracking: string | null): string {
  return carrier || tracking
    ? `Shipped${carrier ? ` with ${carrier}` : ''}${tracking ? ` — ${tracking}` : ''}`
    : 'Shipped';
}

export function auditTitle(action: string): string {
  const known = AUDIT_TITLES[action];
  if (known) return known;
  const words = action.replace(/^external\./, '').replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function parse(e: EventRow): Ev {
  let object: Record<string, unknown> = {};
  let previous: Record<string, unknown> | null = null;
  try {
    const ev = JSON.parse(e.payload) as {
      data?: { object?: Record<string, unknown>; previous_attributes?: Record<string, unknown> };
    };
    object = ev.data?.object ?? {};
    previous = ev.data?.previous_attributes ?? null;
  } catch {
    /* an unreadable payload still has its type */
  }
  return {
    id: e.id,
    type: e.type,
    created: e.created,
    key: e.idempotency_key,
    requestId: e.request_id,
    object,
    previous,
  };
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

interface Described {
  title: string;
  detail: string | null;
  actor?: string | null;
}

/** What a group of events (and the console's action, if any) means for the order. */
function describe(g: Group, currency: string, dayMonth: Intl.DateTimeFormat): Described {
  const types = new Set(g.events.map((e) => e.type));
  const of = (t: string) => g.events.find((e) => e.type === t)?.object;
  const money = (n: number | null) => (n === null ? '' : formatMoney(n, currency));
  const pi = (of('payment_intent.succeeded') ??
    of('payment_intent.canceled') ??
    of('payment_intent.amount_capturable_updated') ??
    of('payment_intent.payment_failed') ??
    of('payment_intent.requires_action') ??
    of('payment_intent.created')) as Partial<Stripe.PaymentIntent> | undefined;
  const charge = g.events.find((e) => e.type.startsWith('charge.') && e.object.object === 'charge')
    ?.object as Partial<Stripe.Charge> | undefined;
  const card = charge?.payment_method_details?.card;
  const cardText =
    card?.brand && card.last4
      ? `${card.brand[0]!.toUpperCase()}${card.brand.slice(1)} •••• ${card.last4}`
      : null;

  if (types.has('payment_intent.payment_failed') || types.has('charge.failed')) {
    const err = pi?.last_payment_error;
    const code = err?.code ?? charge?.failure_code ?? 'card_declined';
    const decline = err?.decline_code ?? (charge?.outcome?.reason as string | undefined) ?? null;
    return {
      title: 'Card declined',
      detail: [cardText, explainDecline(code, decline)].filter(Boolean).join(' — '),
    };
  }
  if (
    types.has('charge.expired') ||
    (types.has('payment_intent.canceled') && pi?.cancellation_reason === 'automatic')
  ) {
    const amount = num(charge?.amount) ?? num(pi?.amount) ?? null;
    return {
      title: `Hold expired — the bank released ${money(amount)}`,
      detail: 'Nothing was charged; the order is cancelled.',
    };
  }
  if (types.has('payment_intent.canceled')) {
    // An order's PaymentIntent is canceled once its card was held (a released hold) or saved for a charge on
    // arrival (a saved-card order cancelled before it; see projectOrder).
    return pi?.capture_method === 'manual'
      ? {
          title: `Hold released — ${money(num(pi.amount) ?? num(charge?.amount))} back to the customer`,
          detail: 'Nothing was charged; the order is cancelled.',
        }
      : { title: 'Payment cancelled', detail: 'Nothing was charged.' };
  }
  if (
    types.has('charge.captured') ||
    (types.has('payment_intent.succeeded') && pi?.capture_method === 'manual')
  ) {
    const received = num(pi?.amount_received) ?? num(charge?.amount_captured);
    const released = received !== null && num(pi?.amount) !== null ? num(pi?.amount)! - received : 0;
    return {
      title: `Hold captured — ${money(received)} charged`,
      detail: released > 0 ? `${money(released)} released to the customer.` : 'The full amount of the hold.',
    };
  }
  if (types.has('payment_intent.succeeded') || (types.has('charge.succeeded') && charge?.captured === true)) {
    return {
      title: `Card charged — ${money(num(pi?.amount_received) ?? num(charge?.amount))}`,
      detail: cardText,
    };
  }
  if (
    types.has('payment_intent.amount_capturable_updated') ||
    (types.has('charge.succeeded') && charge?.captured === false)
  ) {
    const until = num(charge?.payment_method_details?.card?.capture_before);
    const amount = num(pi?.amount_capturable) ?? num(charge?.amount);
    return {
      title: `Card authorised — ${money(amount)} held${until ? ` until ${dayMonth.format(new Date(until * 1000))}` : ''}`,
      detail: [cardText, 'Charged when a manager captures it (waitlist order).'].filter(Boolean).join(' — '),
    };
  }
  if (types.has('payment_intent.requires_action'))
    return { title: 'Bank asked the customer to confirm the payment (3D Secure)', detail: null };
  const refund = (of('refund.updated') ?? of('refund.created') ?? of('refund.failed')) as
    Partial<Stripe.Refund> | undefined;
  if (refund?.status === 'failed')
    return {
      title: `Refund of ${money(num(refund.amount))} failed`,
      detail: refund.failure_reason
        ? `The bank refused it (${refund.failure_reason}).`
        : 'The bank refused it.',
    };
  if (refund || types.has('charge.refunded')) {
    const audit = g.audits.find((a) => a.action === 'order.refunded');
    const amount =
      num(refund?.amount) ??
      (audit
        ? (num((audit.after as { refunded?: number } | null)?.refunded) ?? 0) -
          (num((audit.before as { refunded?: number } | null)?.refunded) ?? 0)
        : null);
    const reason = refund?.reason ? ` (${refund.reason.replace(/_/g, ' ')})` : '';
    return { title: `Refunded ${money(amount)}${reason}`, detail: null };
  }
  if (types.has('charge.updated')) {
    const e = g.events.find((x) => x.type === 'charge.updated')!;
    const md = (e.object.metadata ?? {}) as Record<string, string>;
    const prev = ((e.previous?.metadata ?? {}) as Record<string, string | null>) ?? {};
    const ship = e.object.shipping as
      { carrier?: string | null; tracking_number?: string | null } | null | undefined;
    if (md.mc_shipped && !prev.mc_shipped) {
      const [carrier, ...rest] = (md.mc_tracking ?? '').split('|');
      const tracking = ship?.tracking_number || rest.join('|');
      const via = ship?.carrier || carrier;
      return { title: shippedTitle(via || null, tracking || null), detail: null, actor: md.mc_shipped };
    }
    if (md.mc_processing && !prev.mc_processing)
      return { title: 'Moved to processing', detail: null, actor: md.mc_processing };
    return { title: 'Order details updated in Stripe', detail: null };
  }
  if (types.has('payment_intent.created')) {
    const items = (pi?.description ?? '').replace(/^Phone order [A-Z]*\d+: /, '');
    return { title: `Order taken — ${money(num(pi?.amount))}`, detail: items || null };
  }
  const dispute = g.events.find((e) => e.type.startsWith('charge.dispute.'));
  if (dispute) return { title: `Dispute ${dispute.type.split('.').pop()!.replace(/_/g, ' ')}`, detail: null };
  const t = g.events[0]?.type ?? '';
  return { title: t.replace(/[._]/g, ' ').replace(/^./, (c) => c.toUpperCase()), detail: null };
}

/** An audit entry's details in words (amounts formatted), for actions without Stripe events. */
function auditDetail(a: AuditEntry, currency: string): string | null {
  const after = a.after as Record<string, unknown> | null;
  if (!after || typeof after !== 'object') return null;
  if (a.action === 'order.shipped') return 'Waiting for Stripe to confirm.';
  if (a.action === 'payment.link_sent') {
    const via = after.via === 'text' ? 'by text' : after.via === 'email' ? 'by email' : 'copied for sending';
    return `${via}${after.to ? ` to ${String(after.to)}` : ''}`;
  }
  if (a.action === 'payment.unconfirmed') return 'It settles on its own; don’t take the payment again.';
  const amount = num(after.amount);
  if (amount !== null) return formatMoney(amount, currency);
  return null;
}

const technicalOfAudit = (a: AuditEntry): string[] => [
  `Console action ${a.action} (audit #${a.seq}, ${a.station})`,
  ...(a.after && typeof a.after === 'object' ? [`Recorded: ${JSON.stringify(a.after)}`] : []),
];

export function orderTimeline(
  db: Db,
  o: { id: string; payment_intent_id: string; cart_id: string | null; currency: string },
  /** The shop's time zone, for the days the titles name. */
  timeZone?: string,
): TimelineEntry[] {
  const dayMonth = dayMonthIn(timeZone);
  const subjects = [o.id, o.payment_intent_id, ...(o.cart_id ? [o.cart_id] : [])];
  // The PaymentIntent's events, its charges' and its refunds', in the order Stripe made them.
  const rows = db
    .prepare(
      `SELECT id, type, created, idempotency_key, request_id, payload FROM stripe_events
       WHERE object_id = @pi OR object_id IN (SELECT id FROM charges WHERE payment_intent_id = @pi)
          OR object_id IN (SELECT latest_charge FROM payment_intents WHERE id = @pi)
          OR object_id IN (SELECT id FROM refunds WHERE payment_intent_id = @pi)
       ORDER BY created, rowid`,
    )
    .all({ pi: o.payment_intent_id }) as EventRow[];
  // The console's own requests for this order: its cart's and PaymentIntent's, and its charges' (fulfillment
  // is written on the charge).
  const chargeIds = db
    .prepare('SELECT id FROM charges WHERE payment_intent_id = ?')
    .pluck()
    .all(o.payment_intent_id) as string[];
  const keySubjects = [...subjects, ...chargeIds];
  const keysOurs = new Set(
    db
      .prepare(`SELECT key FROM stripe_requests WHERE subject IN (${keySubjects.map(() => '?').join(',')})`)
      .pluck()
      .all(...keySubjects) as string[],
  );
  const groups = new Map<string, Group>();
  const groupFor = (k: string, at: number): Group => {
    let g = groups.get(k);
    if (!g) {
      g = { at, events: [], audits: [] };
      groups.set(k, g);
    }
    return g;
  };
  for (const r of rows) {
    const e = parse(r);
    const k = e.key ? `k:${e.key}` : e.requestId ? `r:${e.requestId}` : `t:${e.created}`;
    groupFor(k, e.created * 1000).events.push(e);
  }
  for (const a of auditForSubjects(db, subjects)) {
    const k =
      a.idempotencyKey && groups.has(`k:${a.idempotencyKey}`)
        ? `k:${a.idempotencyKey}`
        : a.stripeRequestId && groups.has(`r:${a.stripeRequestId}`)
          ? `r:${a.stripeRequestId}`
          : `a:${a.seq}`;
    const g = groupFor(k, a.at);
    g.audits.push(a);
  }

  const out: TimelineEntry[] = [];
  for (const g of groups.values()) {
    const audit = g.audits.find((a) => !a.action.startsWith('external.')) ?? null;
    const external = g.audits.find((a) => a.action.startsWith('external.')) ?? null;
    const first = g.events[0];
    const outside =
      !!first &&
      first.requestId !== null &&
      !audit &&
      !(first.key !== null && (keysOurs.has(first.key) || first.key.startsWith('mc_')));
    const described = g.events.length
      ? describe(g, o.currency, dayMonth)
      : audit?.action === 'order.shipped' && audit.after && typeof audit.after === 'object'
        ? {
            title: shippedTitle(
              (audit.after as { carrier?: string | null }).carrier ?? null,
              (audit.after as { trackingNumber?: string | null }).trackingNumber ?? null,
            ),
            detail: null,
          }
        : { title: auditTitle(audit?.action ?? external?.action ?? ''), detail: null };
    const detail =
      g.events.length === 0 && audit
        ? auditDetail(audit, o.currency)
        : outside
          ? [described.detail, 'Done outside the console (e.g. in Stripe’s Dashboard).']
              .filter(Boolean)
              .join(' ')
          : described.detail;
    const technical: string[] = [];
    for (const e of g.events) technical.push(`${e.type} · ${e.id}`);
    if (first?.requestId) technical.push(`Request ${first.requestId}`);
    if (first?.key) technical.push(`Idempotency key ${first.key}`);
    else if (first && !first.requestId) technical.push('Made by Stripe itself (no API request)');
    for (const a of g.audits) technical.push(...technicalOfAudit(a));
    out.push({
      at: audit?.at ?? g.at,
      kind: audit ? 'audit' : 'stripe_event',
      title: described.title,
      detail: detail || null,
      confirmedByStripe: !!audit && g.events.length > 0,
      actor:
        audit?.actor ??
        described.actor ??
        (outside ? 'Outside the console' : first && first.requestId === null ? 'Stripe' : null),
      technical,
    });
  }
  return out.sort((a, b) => a.at - b.at);
}
