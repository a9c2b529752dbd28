/**
 * Validates emulator (or Stripe) payloads against JSON Schema generated from the stripe SDK's own types
 * (test/fixtures/stripe-objects.schema.json, made by `npx tsx scripts/gen-stripe-schemas.ts`).
 * Object types are closed (additionalProperties: false): a missing required field or an unknown property fails.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';

const FIXTURE = fileURLToPath(new URL('../fixtures/stripe-objects.schema.json', import.meta.url));

const ROOT_BY_OBJECT: Record<string, string> = {
  payment_intent: 'SchemaPaymentIntent',
  charge: 'SchemaCharge',
  refund: 'SchemaRefund',
  customer: 'SchemaCustomer',
  payment_method: 'SchemaPaymentMethod',
  setup_intent: 'SchemaSetupIntent',
  webhook_endpoint: 'SchemaWebhookEndpoint',
  product: 'SchemaProduct',
  price: 'SchemaPrice',
  dispute: 'SchemaDispute',
  'radar.early_fraud_warning': 'SchemaEarlyFraudWarning',
  'tax.registration': 'SchemaTaxRegistration',
  'tax.calculation': 'SchemaTaxCalculation',
  'tax.calculation_line_item': 'SchemaTaxCalculationLineItem',
  'tax.transaction': 'SchemaTaxTransaction',
  'tax.transaction_line_item': 'SchemaTaxTransactionLineItem',
  'tax.association': 'SchemaTaxAssociation',
};

const DELETED_ROOT: Record<string, string> = {
  customer: 'SchemaDeletedCustomer',
  webhook_endpoint: 'SchemaDeletedWebhookEndpoint',
  product: 'SchemaDeletedProduct',
  price: 'SchemaDeletedPrice',
};

let ajv: Ajv | undefined;
let events: Record<string, { $ref: string }> = {};
const compiled = new Map<string, ValidateFunction>();

function load(): Ajv {
  if (ajv) return ajv;
  if (!existsSync(FIXTURE)) {
    throw new Error(
      `Missing JSON schema fixture ${FIXTURE}. Generate it with: npx tsx scripts/gen-stripe-schemas.ts`,
    );
  }
  const schema = JSON.parse(readFileSync(FIXTURE, 'utf8')) as {
    definitions: Record<string, { properties?: Record<string, { $ref: string }> }>;
  };
  events = schema.definitions.SchemaEvents?.properties ?? {};
  ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema);
  return ajv;
}

function validator(ref: string): ValidateFunction {
  let v = compiled.get(ref);
  if (!v) {
    const a = load();
    v = a.getSchema(`stripe-objects${ref}`);
    if (!v) throw new Error(`No schema for ${ref}`);
    compiled.set(ref, v);
  }
  return v;
}

/** Returns schema violations of a Stripe object, list, or event (empty array = valid). */
export function schemaErrors(value: unknown): string[] {
  load();
  const obj = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  delete obj.lastResponse;
  const kind = obj.object;
  if (kind === 'list') {
    const errs: string[] = [];
    for (const k of Object.keys(obj))
      if (!['object', 'data', 'has_more', 'url'].includes(k)) errs.push(`list: unknown ${k}`);
    (obj.data as unknown[]).forEach((item, i) =>
      errs.push(...schemaErrors(item).map((e) => `data[${i}]${e}`)),
    );
    return errs;
  }
  let ref: string;
  if (kind === 'event') {
    const r = events[obj.type as string];
    if (!r) return [`no schema for event type ${String(obj.type)}`];
    ref = r.$ref;
  } else if (obj.deleted === true && DELETED_ROOT[kind as string]) {
    ref = `#/definitions/${DELETED_ROOT[kind as string] as string}`;
  } else {
    const root = ROOT_BY_OBJECT[kind as string];
    if (!root) return [`no schema for object ${String(kind)}`];
    ref = `#/definitions/${root}`;
  }
  const v = validator(ref);
  if (v(obj)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

export function fixtureExists(): boolean {
  return existsSync(FIXTURE);
}
