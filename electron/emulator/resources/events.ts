/**
 * Events (docs.stripe.com/api/events): retrieve and list the last 30 days, newest first, with `type` (with `*`
 * wildcards) or `types[]`, `created` and `delivery_success` filters. Served pre-serialised (fast path).
 */
import { invalidRequest, paramError, resourceMissing } from '../errors';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { RawJson, routeId } from '../kernel';
import { checkCursors, checkLimit, inRange, paginate } from '../lists';
import type { Range } from '../lists';
import { LIST_SPEC, validate } from '../params';
import { EXPAND } from '../specs';
import type { EventRecord } from '../state';

const EVENT_RETENTION_SECONDS = 30 * 86_400;

export function registerEvents(k: Kernel): void {
  k.on('GET', '/v1/events', (p) => listEvents(k, p));
  k.on('GET', '/v1/events/:id', (p, _c, m) => retrieveEvent(k, p, routeId(m)));
}

function windowStart(k: Kernel): number {
  return k.nowSec() - EVENT_RETENTION_SECONDS;
}

function retrieveEvent(k: Kernel, form: FormObject, evtId: string): RawJson {
  validate({ expand: EXPAND }, form);
  const pos = k.state.eventPos.get(evtId);
  const e = pos === undefined ? undefined : k.state.events[pos];
  if (!e || e.created < windowStart(k)) throw resourceMissing('event', evtId);
  return new RawJson(e.json);
}

function typeMatcher(patterns: string[]): (e: EventRecord) => boolean {
  const exact = new Set<string>();
  const res: RegExp[] = [];
  for (const t of patterns) {
    if (!t.includes('*')) {
      exact.add(t);
      continue;
    }
    const parts = t.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
    res.push(new RegExp('^' + parts.join('.*') + '$'));
  }
  return (e) => exact.has(e.type) || res.some((r) => r.test(e.type));
}

function listEvents(k: Kernel, form: FormObject): RawJson {
  const p = validate(
    { ...LIST_SPEC, type: 'string', types: { array: 'string' }, delivery_success: 'boolean' },
    form,
  );
  checkCursors(p);
  const limit = checkLimit(p.limit);
  if (p.type !== undefined && p.types !== undefined) {
    throw paramError(
      'parameters_exclusive',
      'You may only specify one of these parameters: type, types.',
      'types',
    );
  }
  const types = p.types as string[] | undefined;
  if (types && types.length > 20)
    throw paramError('parameter_invalid_array', 'types may contain at most 20 entries.', 'types');
  if (((p.expand as string[] | undefined) ?? []).length > 0) {
    throw invalidRequest(`This property cannot be expanded (${(p.expand as string[])[0]}).`, {
      param: 'expand',
    });
  }
  const events = k.state.events;
  const start = windowStart(k);
  const cursor = (v: unknown, param: string): number => {
    const pos = k.state.eventPos.get(v as string);
    if (pos === undefined || (events[pos] as EventRecord).created < start) {
      throw resourceMissing('event', v as string, param);
    }
    return pos;
  };
  const matchers: Array<(e: EventRecord) => boolean> = [];
  if (p.type !== undefined) matchers.push(typeMatcher([p.type as string]));
  if (types) matchers.push(typeMatcher(types));
  const created = p.created as Range | undefined;
  if (created !== undefined) matchers.push((e) => inRange(e.created, created));
  if (p.delivery_success !== undefined) {
    // Approximation: an event counts as successfully delivered once no webhook delivery is pending.
    const want = p.delivery_success as boolean;
    matchers.push((e) => (e.pending === 0) === want);
  }
  const page = paginate(
    events.length,
    {
      limit,
      ...(p.starting_after !== undefined
        ? { startingAfter: cursor(p.starting_after, 'starting_after') }
        : {}),
      ...(p.ending_before !== undefined ? { endingBefore: cursor(p.ending_before, 'ending_before') } : {}),
    },
    (pos) => {
      const e = events[pos] as EventRecord;
      // Events are stored in creation order, so walking down past the window means everything older is out too.
      if (e.created < start) return p.ending_before !== undefined ? false : 'stop';
      for (const m of matchers) if (!m(e)) return false;
      return true;
    },
  );
  let json = '{"object":"list","data":[';
  for (let i = 0; i < page.positions.length; i++) {
    if (i > 0) json += ',';
    json += (events[page.positions[i] as number] as EventRecord).json;
  }
  json += `],"has_more":${page.hasMore},"url":"/v1/events"}`;
  return new RawJson(json);
}
