// Who the app is to the operating system: the id Windows files notifications under (AppUserModelID), the
// macOS bundle id, the Linux desktop entry — and the same values electron-builder packages it with.
export const APP_ID = 'com.merchantconsole.desktop';
export const PRODUCT_NAME = 'Merchant Console';
/** The folder name of the data directory (userData), unchanged from the unpackaged app's. */
export const DATA_FOLDER = 'merchant-console';
