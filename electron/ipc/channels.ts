// Channel and event names, derived from the contract so there is one list, not three kept in sync by hand.
import { contract, eventContract, type Channel, type EventName } from './contract';

export const CHANNELS = Object.freeze(Object.keys(contract) as Channel[]);
export const EVENTS = Object.freeze(Object.keys(eventContract) as EventName[]);

const channelSet = new Set<string>(CHANNELS);
const eventSet = new Set<string>(EVENTS);
export const isChannel = (name: unknown): name is Channel => typeof name === 'string' && channelSet.has(name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && eventSet.has(name);

/** The surface the preload (Electron) or the bridge shim (browser mode) puts on `window.api`. */
export interface RendererApi {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}
