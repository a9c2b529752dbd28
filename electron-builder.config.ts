// Packaging with electron-builder: `npm run dist` builds the installer for the platform it runs on —
// macOS: .dmg and .zip; Windows: an NSIS installer; Linux: an AppImage and a .deb — into out/installers/.
//
// - The app is the build in out/ (main, preload, renderer) plus the production dependencies, in an asar.
// - better-sqlite3 sits outside the asar (app.asar.unpacked: a native module can't load from an archive),
//   and afterPack puts the Electron-ABI build there (scripts/lib/pack-hooks.ts); `npmRebuild` is off so
//   node_modules keeps its Node build for the tests.
// - Electron's fuses are set: no ELECTRON_RUN_AS_NODE, no NODE_OPTIONS, no --inspect, cookies encrypted,
//   the app only from its (integrity-checked) asar.
// - Signing and notarization are read from the environment when present (see signingFromEnv below). A Mac
//   build without a certificate is signed ad hoc (identity '-'): an arm64 app whose signature is invalid —
//   as it is once the fuses are flipped — is killed by macOS at launch; an ad-hoc one starts (after the
//   Gatekeeper prompt). Windows without a certificate: unsigned.
// - Updates: the publish target comes from the environment (desktop/updates.ts publishFromEnv) and is written
//   into the app as app-update.yml; without one, the app has no update source and says so.
// - Linux: homepage, author and maintainer (the .deb needs them), the desktop entry's name; the .deb's
//   post-install script installs electron-builder's AppArmor profile (Ubuntu 24.04's user-namespace rule).
import type { Configuration } from 'electron-builder';
import { APP_ID, DESKTOP_NAME, PRODUCT_NAME } from './electron/main/app-identity';
import { publishFromEnv } from './electron/main/desktop/updates';
import { afterPackHook } from './scripts/lib/pack-hooks';

/**
 * How the Mac app is signed. With a certificate (CSC_LINK / CSC_NAME, or one in the keychain that
 * electron-builder finds): Developer ID with the hardened runtime, notarized when Apple credentials are
 * there too. Without: ad hoc ('-'), and without the hardened runtime, whose library validation would
 * reject Electron's frameworks signed by another team (electron-builder's macOptions: identity).
 */
export function macSigning(signing: ReturnType<typeof signingFromEnv>) {
  return signing.macCertificate
    ? { hardenedRuntime: true, notarize: signing.appleNotarize }
    : { identity: '-', hardenedRuntime: false, notarize: false };
}

/** What the environment says about signing (electron-builder reads the certificates itself). */
export function signingFromEnv(env: Readonly<Record<string, string | undefined>>) {
  const appleNotarize = !!(
    (env.APPLE_ID && env.APPLE_APP_SPECIFIC_PASSWORD && env.APPLE_TEAM_ID) ||
    (env.APPLE_API_KEY && env.APPLE_API_KEY_ID && env.APPLE_API_ISSUER) ||
    env.APPLE_KEYCHAIN_PROFILE
  );
  const macCertificate = !!(env.CSC_LINK || env.CSC_NAME);
  const winCertificate = !!(env.WIN_CSC_LINK || env.CSC_LINK);
  const azure =
    env.AZURE_TENANT_ID && env.AZURE_CLIENT_ID && env.AZURE_TRUSTED_SIGNING_ENDPOINT
      ? {
          endpoint: env.AZURE_TRUSTED_SIGNING_ENDPOINT,
          certificateProfileName: env.AZURE_TRUSTED_SIGNING_PROFILE ?? '',
          codeSigningAccountName: env.AZURE_TRUSTED_SIGNING_ACCOUNT ?? '',
          publisherName: env.AZURE_TRUSTED_SIGNING_PUBLISHER ?? PRODUCT_NAME,
        }
      : null;
  return { appleNotarize, macCertificate, winCertificate, azure };
}

export function createConfig(env: Readonly<Record<string, string | undefined>> = process.env): Configuration {
  const signing = signingFromEnv(env);
  const publish = publishFromEnv(env);
  return {
    appId: APP_ID,
    productName: PRODUCT_NAME,
    copyright: `Copyright © ${new Date().getFullYear()} ${PRODUCT_NAME}`,
    directories: { output: 'out/installers', buildResources: 'resources' },
    // The packaged package.json names the app as people see it (menus, the About box).
    extraMetadata: { productName: PRODUCT_NAME, desktopName: DESKTOP_NAME },
    files: [
      'package.json',
      'out/main/**',
      'out/preload/**',
      'out/renderer/**',
      // Only what runs: no type declarations, maps, or better-sqlite3's C sources and Node build.
      '!**/*.{d.ts,d.mts,d.cts,map,md}',
      '!node_modules/better-sqlite3/{deps,src,bin,prebuilds}/**',
      '!node_modules/better-sqlite3/build/{Debug,deps,test_extension*}/**',
      '!node_modules/better-sqlite3/build/Release/{obj,obj.target,.deps,test_extension.node,*.a}{,/**}',
    ],
    extraResources: [{ from: 'resources/tray', to: 'tray' }],
    asar: true,
    asarUnpack: ['node_modules/better-sqlite3/**/*.node'],
    // node_modules keeps its build for Node (the tests'); afterPack installs the Electron one.
    npmRebuild: false,
    afterPack: afterPackHook(),
    electronFuses: {
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      // Stays on: the renderer is loaded from file:// and its module scripts need it.
      grantFileProtocolExtraPrivileges: true,
    },
    mac: {
      category: 'public.app-category.business',
      target: [
        { target: 'dmg', arch: ['x64', 'arm64'] },
        { target: 'zip', arch: ['x64', 'arm64'] },
      ],
      icon: 'resources/icon.icns',
      ...macSigning(signing),
    },
    dmg: { title: '${productName} ${version}' },
    win: {
      target: [{ target: 'nsis', arch: ['x64'] }],
      icon: 'resources/icon.ico',
      ...(signing.azure ? { azureSignOptions: signing.azure } : {}),
    },
    nsis: {
      oneClick: false,
      perMachine: false,
      allowToChangeInstallationDirectory: true,
      createDesktopShortcut: true,
      createStartMenuShortcut: true,
      shortcutName: PRODUCT_NAME,
      // Uninstalling leaves the data folder (orders, the journal, the Stripe key) in place.
      deleteAppDataOnUninstall: false,
    },
    linux: {
      target: [
        { target: 'AppImage', arch: ['x64'] },
        { target: 'deb', arch: ['x64'] },
      ],
      icon: 'resources/icons',
      category: 'Office',
      synopsis: 'Phone orders, waitlist holds and fulfillment on Stripe',
      maintainer: `${PRODUCT_NAME} <support@merchant-console.invalid>`,
      executableName: 'merchant-console',
      desktop: { entry: { StartupWMClass: PRODUCT_NAME } },
    },
    // The post-install script is electron-builder's own: it installs resources/apparmor-profile (the same
    // template, shipped in the package) into /etc/apparmor.d where AppArmor supports it (Ubuntu 24.04+).
    deb: { priority: 'optional' },
    publish: publish ? [publish] : null,
  };
}

export default createConfig();
