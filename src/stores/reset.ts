// Forget everything the previous person was looking at (sign out), and a clean slate between tests.
import { useCartStore } from './cart-store';
import { useHoldsStore } from './holds-store';
import { useOrdersStore } from './orders-store';
import { useSessionStore } from './session-store';
import { useSettingsStore } from './settings-store';
import { useSyncStore } from './sync-store';
import { useToastStore } from './toast-store';
import { useGlanceStore } from './glance-store';
import { useCatalogStore } from './catalog-store';
import { useCustomersStore } from './customers-store';
import { usePrintStore } from './print-store';
import { useTaxStore } from './tax-store';

export function resetWorkStores(): void {
  useCartStore.getState().reset();
  useOrdersStore.getState().reset();
  useHoldsStore.getState().reset();
  useSyncStore.getState().reset();
  useSettingsStore.getState().reset();
  useToastStore.getState().reset();
  useGlanceStore.getState().reset();
  useCatalogStore.getState().reset();
  useCustomersStore.getState().reset();
  usePrintStore.getState().reset();
  useTaxStore.getState().reset();
}

export function resetAllStores(): void {
  resetWorkStores();
  useSessionStore.getState().reset();
}
