/**
 * The id of the Product in Stripe that holds the shop's settings (electron/core/settings/shop-record.ts). The
 * renderer knows it too: a products:changed naming it means the shop's settings changed.
 */
export const SHOP_RECORD_ID = 'mc_shop_settings';
