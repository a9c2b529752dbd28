/**
 * Webhook endpoints (docs.stripe.com/api/webhook_endpoints): create (the signing secret is only returned
 * then), retrieve, update, delete, list. Delivery itself is webhooks.ts.
 */
import type Stripe from 'stripe';
import { paramError } from '../errors';
import { makeDeletedWebhookEndpoint, makeWebhookEndpoint } from '../factories';
import type { FormObject } from '../form';
import type { Kernel } from '../kernel';
import { routeId } from '../kernel';
import { cleanMetadata, mergeMetadata, validate } from '../params';
import { EXPAND } from '../specs';
import { newId } from '../state';

export function registerWebhookEndpoints(k: Kernel): void {
  k.on('POST', '/v1/webhook_endpoints', (p) => createWebhookEndpoint(k, p));
  k.on('GET', '/v1/webhook_endpoints', (p) => k.listSimple('webhook_endpoint', p, '/v1/webhook_endpoints'));
  k.on('GET', '/v1/webhook_endpoints/:id', (p, _c, m) => k.retrieveSimple('webhook_endpoint', p, routeId(m)));
  k.on('POST', '/v1/webhook_endpoints/:id', (p, _c, m) => updateWebhookEndpoint(k, p, routeId(m)));
  k.on('DELETE', '/v1/webhook_endpoints/:id', (p, _c, m) => deleteWebhookEndpoint(k, p, routeId(m)));
}

function checkUrl(url: string): void {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (!ok) throw paramError('url_invalid', `Invalid URL: ${url}`, 'url');
}

function createWebhookEndpoint(k: Kernel, form: FormObject): Stripe.WebhookEndpoint {
  const p = validate(
    {
      url: 'string',
      enabled_events: { array: 'string' },
      description: 'nullable_string',
      metadata: 'metadata',
      api_version: 'string',
      connect: 'boolean',
      expand: EXPAND,
    },
    form,
    '',
    ['url', 'enabled_events'],
  );
  checkUrl(p.url as string);
  const secret = 'whsec_' + newId('x', 32).slice(2);
  const we = makeWebhookEndpoint(newId('we'), k.nowSec(), {
    url: p.url as string,
    enabled_events: p.enabled_events as string[],
    description: (p.description as string | null | undefined) ?? null,
    metadata: cleanMetadata(p.metadata),
    api_version: (p.api_version as string | undefined) ?? null,
  });
  k.state.insert('webhook_endpoint', we, { secret });
  return { ...we, secret };
}

function updateWebhookEndpoint(k: Kernel, form: FormObject, weId: string): Stripe.WebhookEndpoint {
  const p = validate(
    {
      url: 'string',
      enabled_events: { array: 'string' },
      description: 'nullable_string',
      metadata: 'metadata',
      disabled: 'boolean',
      expand: EXPAND,
    },
    form,
  );
  const we = k.require('webhook_endpoint', weId).obj;
  if (p.url !== undefined) {
    checkUrl(p.url as string);
    we.url = p.url as string;
  }
  if (p.enabled_events !== undefined) we.enabled_events = p.enabled_events as string[];
  if (p.description !== undefined) we.description = p.description as string | null;
  if (p.metadata !== undefined) we.metadata = mergeMetadata(we.metadata, p.metadata);
  if (p.disabled !== undefined) we.status = p.disabled ? 'disabled' : 'enabled';
  k.state.touch(we.id);
  return we;
}

function deleteWebhookEndpoint(k: Kernel, form: FormObject, weId: string): Stripe.DeletedWebhookEndpoint {
  validate({}, form);
  k.require('webhook_endpoint', weId);
  k.state.objects.delete(weId);
  const order = k.state.order.webhook_endpoint;
  order.splice(order.indexOf(weId), 1);
  k.state.dirtyObjects.add(weId);
  return makeDeletedWebhookEndpoint(weId);
}
