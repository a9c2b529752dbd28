// The shop's settings are kept in Stripe and may be changed at another station: when main says the shop's record
// changed (a products:changed naming it), read the shop's details, the phone country and the message for
// links again, and Today's figures (counted in the shop's zone).
import { useEffect } from 'react';
import { SHOP_RECORD_ID } from '../../electron/ipc/shop-record-id';
import { subscribe } from '../lib/ipc';
import { useGlanceStore } from './glance-store';
import { useSessionStore } from './session-store';

export function useFollowShopSettings(signedIn: boolean): void {
  useEffect(() => {
    if (!signedIn) return;
    return subscribe('products:changed', ({ productIds }) => {
      if (!productIds.includes(SHOP_RECORD_ID)) return;
      void useSessionStore.getState().refreshInfo();
      const glance = useGlanceStore.getState();
      void glance.loadShop();
      if (glance.figures) void glance.load();
    });
  }, [signedIn]);
}
