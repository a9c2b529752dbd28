// Who the app is to the operating system: the id Windows files notifications under (AppUserModelID), the
// macOS bundle id, the Linux desktop entry — and the same values electron-builder packages it with.
export const APP_ID = 'com.merchantconsole.desktop';
// One name everywhere — package.json's productName (what Electron calls the app under `npm start`), the
// packaged app's, the macOS keychain item's ("Merchant Console Safe Storage") — so a key saved by one is read
// by the other.
export const PRODUCT_NAME = 'Merchant Console';
/** Linux: the desktop entry Electron associates the windows with (package.json desktopName). */
export const DESKTOP_NAME = 'merchant-console.desktop';
/** The folder name of the data directory (userData), unchanged from the unpackaged app's. */
export const DATA_FOLDER = 'merchant-console';
