// The shop's settings are kept in Stripe and may be changed at another station: when main says the shop's record
// changed (a products:changed naming it), read the shop's details, the phone country and the message for
// links again, and Today's figures (counted in the shop's zone).
import { useEffect } from 'react';
import { SHOP_RECORD_ID } from '../../electron/ipc/shop-record-id';
import { setDisplayZone } from '../lib/format';
import { subscribe } from '../lib/ipc';
import { useGlanceStore } from './glance-store';
import { useSessionStore } from './session-store';

export function useFollowShopSettings(signedIn: boolean): void {
  useEffect(() => {
    if (!signedIn) return;
    // Every time on screen is in the shop's zone (lib/format.ts): follow the shop's settings as they load.
    const follow = useGlanceStore.subscribe((s) => setDisplayZone(s.shop?.timeZone ?? null));
    void useGlanceStore.getState().loadShop();
    const off = subscribe('products:changed', ({ productIds }) => {
      if (!productIds.includes(SHOP_RECORD_ID)) return;
      void useSessionStore.getState().refreshInfo();
      const glance = useGlanceStore.getState();
      void glance.loadShop();
      if (glance.figures) void glance.load();
    });
    return () => {
      follow();
      off();
    };
  }, [signedIn]);
}
