// Events from the core go to the console's own window only — never to the 3DS or card windows, which show
// other people's pages (a bank's, Stripe's) and must learn nothing about the shop's orders.
import type { EventName, EventPayload } from '../ipc/contract';

export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

export function mainWindowEvents(mainContents: () => WebContentsLike | null) {
  return {
    emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
      const wc = mainContents();
      if (wc && !wc.isDestroyed()) wc.send(event, payload);
    },
  };
}
