// Channel and event names as plain strings, for the sandboxed preload, which can't load zod (a sandboxed
// preload may require only 'electron'). The compiler holds these lists to the contract in both directions:
// a channel missing here, or a name here that the contract lacks, fails the typecheck; a test checks it too.
import type { Channel, EventName } from './contract';

export const CHANNELS = Object.freeze([
  'app:info',
  'auth:status',
  'auth:setup',
  'auth:login',
  'auth:logout',
  'auth:changePin',
  'users:list',
  'users:create',
  'users:update',
  'products:search',
  'products:save',
  'customers:search',
  'customers:list',
  'carts:create',
  'carts:get',
  'carts:listOpen',
  'carts:update',
  'carts:discard',
  'carts:splitWaiting',
  'carts:dropWaiting',
  'payments:testCards',
  'payments:inProgress',
  'payments:cancelInProgress',
  'payments:pay',
  'payments:authenticate',
  'payments:refresh',
  'payments:linkSent',
  'payments:collectCard',
  'holds:list',
  'holds:capture',
  'holds:release',
  'waitlist:options',
  'waitlist:list',
  'waitlist:chargeSaved',
  'waitlist:payLink',
  'waitlist:payByPhone',
  'waitlist:authenticate',
  'customers:savedCards',
  'customers:removeCard',
  'orders:list',
  'orders:get',
  'orders:advance',
  'orders:exportCsv',
  'orders:refund',
  'sync:status',
  'sync:events',
  'sync:reconcile',
  'sync:fix',
  'audit:list',
  'audit:moneyActions',
  'audit:verify',
  'settings:get',
  'settings:update',
  'settings:setSecretKey',
  'emulator:advanceClock',
  'catalog:list',
  'catalog:receive',
  'catalog:coverable',
  'glance:day',
  'shop:settings',
  'shop:update',
  'tax:settings',
  'tax:update',
  'customers:get',
  'customers:addNote',
  'customers:removeNote',
  'orders:extras',
  'orders:addNote',
  'orders:removeNote',
  'orders:cancel',
  'receipts:resend',
  'print:documents',
  'print:page',
  'clipboard:write',
  'links:open',
] as const satisfies readonly Channel[]);

export const EVENTS = Object.freeze([
  'sync:progressed',
  'orders:changed',
  'holds:changed',
  'carts:changed',
  'holds:focus',
  'holds:expiring',
  'products:changed',
  'orders:alerted',
  'app:navigate',
  'console:connection',
] as const satisfies readonly EventName[]);

// Every contract name is listed (the `satisfies` above proves the converse).
type Unlisted<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>;
const everyChannel: Unlisted<Channel, (typeof CHANNELS)[number]> = true;
const everyEvent: Unlisted<EventName, (typeof EVENTS)[number]> = true;
void everyChannel;
void everyEvent;

const channelSet = new Set<string>(CHANNELS);
const eventSet = new Set<string>(EVENTS);
export const isChannel = (name: unknown): name is Channel => typeof name === 'string' && channelSet.has(name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && eventSet.has(name);

/** The surface the preload (Electron) or the bridge shim (browser mode) puts on `window.api`. */
export interface RendererApi {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  /** 'desktop' from the Electron preload; browser mode's shim leaves it out. */
  readonly shell?: 'desktop';
}
