// Packaging, checked here as far as it can be without Electron's binary: electron-builder packs the real
// app (`--dir` and `.deb`, Linux x64) onto a stand-in Electron distribution — a file carrying Electron's fuse
// wire — so the layout, the unpacked Electron-ABI SQLite module, the fuses and the config are all real. The
// .deb is built by electron-builder up to fpm, which it would download; a stand-in fpm
// (test/helpers/stand-in-fpm.mjs) takes fpm's arguments and builds the package with dpkg-deb. Without
// dpkg-deb (not Debian or Ubuntu) the .deb's tests are skipped, saying so.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Arch, Platform, build } from 'electron-builder';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { extractFile, listPackage } from '@electron/asar';
import { createConfig, signingFromEnv } from '../../../../../electron-builder.config';
import { resolveSqliteBinding } from '../../../../../electron/main/native-binding';
import { DESKTOP_NAME, PRODUCT_NAME } from '../../../../../electron/main/app-identity';
import { flatten, menuTemplate } from '../../../../../electron/main/desktop/app-menu';
import { afterPackHook } from '../../../../../scripts/lib/pack-hooks';
import { FakeHost } from './fake-host';

const root = join(__dirname, '../../../../..');
const work = mkdtempSync(join(tmpdir(), 'mc-pack-'));
const appOut = join(work, 'out', 'linux-unpacked');
const ELECTRON_BUILD = 'better_sqlite3.node built for Electron 41.7.1 (stand-in)';
const saved = { ...process.env };
const UPDATE_URL = 'https://updates.shop.test/merchant-console/';
const standInFpm = join(root, 'test/helpers/stand-in-fpm.mjs');
const dpkgDeb = ['/usr/bin/dpkg-deb', '/bin/dpkg-deb'].find((p) => existsSync(p)) ?? null;
const debSkip = dpkgDeb ? null : 'no dpkg-deb on this machine (Debian/Ubuntu: apt-get install dpkg)';
if (debSkip) console.warn(`packaging: the .deb is not built — ${debSkip}`);
let debFile = '';
/** @electron/fuses' wire values (its FuseState enum is not exported). */
const FuseState = { DISABLE: 48, ENABLE: 49 } as const;

/** A stand-in for Electron's Linux dist: its executable carries the fuse wire with Electron's defaults. */
function fakeElectronDist(dir: string) {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const on = FuseState.ENABLE;
  const off = FuseState.DISABLE;
  const wire = [on, off, on, on, off, off, off, on]; // RunAsNode … GrantFileProtocolExtraPrivileges
  writeFileSync(
    join(dir, 'electron'),
    Buffer.concat([
      Buffer.from('#!/bin/sh\n# stand-in for the Electron binary\n'),
      Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
      Buffer.from([1, wire.length, ...wire]),
    ]),
    { mode: 0o755 },
  );
  writeFileSync(join(dir, 'locales', 'en-US.pak'), 'pak');
  writeFileSync(join(dir, 'LICENSE'), 'MIT');
  writeFileSync(join(dir, 'resources', '.keep'), '');
}

let files: string[] = [];
beforeAll(async () => {
  if (!existsSync(join(root, 'out/main/index.js')) || !existsSync(join(root, 'out/renderer/index.html'))) {
    execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      cwd: root,
      stdio: 'ignore',
    });
  }
  fakeElectronDist(join(work, 'electron-dist'));
  writeFileSync(join(work, 'better_sqlite3.node'), ELECTRON_BUILD);
  // The hook's offline path: a ready Electron-ABI build handed in, logs kept out of the repository.
  process.env.MERCHANT_CONSOLE_SQLITE_BINDING = join(work, 'better_sqlite3.node');
  process.env.MERCHANT_CONSOLE_NATIVE_DIR = join(work, 'native');
  if (dpkgDeb) {
    chmodSync(standInFpm, 0o755);
    process.env.CUSTOM_FPM_PATH = standInFpm;
  }
  // As a shop's build would be: its update folder set in the environment.
  const config = createConfig({ MERCHANT_CONSOLE_UPDATE_URL: UPDATE_URL });
  const artifacts = await build({
    projectDir: root,
    targets: Platform.LINUX.createTarget(dpkgDeb ? ['dir', 'deb'] : 'dir', Arch.x64),
    publish: 'never',
    config: {
      ...config,
      electronDist: join(work, 'electron-dist'),
      electronVersion: '41.7.1',
      directories: { ...config.directories, output: join(work, 'out') },
      // gzip instead of xz: the same package, built in a fraction of the time on a busy machine.
      deb: { ...config.deb, compression: 'gz' },
    },
  });
  debFile = artifacts.find((f) => f.endsWith('.deb')) ?? '';
  files = listPackage(join(appOut, 'resources', 'app.asar'), { isPack: false }).map((f) =>
    f.replace(/\\/g, '/').replace(/^\//, ''),
  );
}, 240_000);

afterAll(() => {
  process.env = saved;
  rmSync(work, { recursive: true, force: true });
});

describe('the packaged app (electron-builder --dir, Linux x64)', () => {
  it('holds the built app and its production dependencies in the asar', () => {
    for (const f of [
      'package.json',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'node_modules/stripe/package.json',
      'node_modules/zod/package.json',
      'node_modules/uuid/package.json',
      'node_modules/better-sqlite3/lib/index.js',
    ]) {
      expect(files, f).toContain(f);
    }
    const pkg = JSON.parse(extractFile(join(appOut, 'resources', 'app.asar'), 'package.json').toString());
    expect(pkg.main).toBe('out/main/index.js');
    expect(pkg.productName).toBe('Merchant Console');
  });

  it('leaves out sources, tests, tools and the development dependencies', () => {
    const forbidden = [
      /^src\//,
      /^electron\//,
      /^test\//,
      /^scripts\//,
      /^resources\/icon/,
      /^\.native\//,
      /^out\/installers\//,
      /^node_modules\/(electron|electron-builder|vite|react|typescript|vitest|@playwright)\//,
      /\.d\.ts$/,
      /\.map$/,
      /^node_modules\/better-sqlite3\/(deps|src)\//,
    ];
    for (const re of forbidden)
      expect(
        files.filter((f) => re.test(f)),
        String(re),
      ).toEqual([]);
  });

  it('puts the Electron-ABI SQLite module beside the asar, where main looks for it', () => {
    const resources = join(appOut, 'resources');
    const binding = resolveSqliteBinding({
      isPackaged: true,
      resourcesPath: resources,
      env: {},
      exists: existsSync,
    });
    expect(binding).toBe(
      join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'),
    );
    expect(readFileSync(binding!, 'utf8')).toBe(ELECTRON_BUILD); // not node_modules' build for Node
    expect(files.filter((f) => f.endsWith('.node'))).toEqual([
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node', // listed in the header as unpacked
    ]);
  });

  it('sets the fuses: no run-as-node, no NODE_OPTIONS, no --inspect; cookies encrypted; only the asar', async () => {
    const wire = await getCurrentFuseWire(join(appOut, 'merchant-console'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
  });

  it('ships the tray icons as resources', () => {
    for (const f of ['trayTemplate.png', 'trayTemplate@2x.png', 'tray.png', 'tray@2x.png']) {
      expect(existsSync(join(appOut, 'resources', 'tray', f)), f).toBe(true);
    }
  });
});

describe.skipIf(!!debSkip)('the .deb (electron-builder, the stand-in fpm, dpkg-deb)', () => {
  const deb = (...args: string[]) => execFileSync(dpkgDeb!, [...args, debFile], { encoding: 'utf8' });

  it('has the metadata a .deb needs: homepage, maintainer, the runtime libraries', () => {
    expect(debFile).toMatch(/merchant-console_0\.1\.0_amd64\.deb$/);
    const info = deb('-f');
    expect(info).toContain('Package: merchant-console');
    expect(info).toContain('Homepage: https://merchant-console.invalid');
    expect(info).toContain('Maintainer: Merchant Console <support@merchant-console.invalid>');
    expect(info).toMatch(/Depends: .*libnss3.*libsecret-1-0/);
  });

  it('installs the app under /opt, its desktop entry, icons, and the update source', () => {
    const files = deb('-c');
    for (const f of [
      './opt/Merchant Console/merchant-console',
      './opt/Merchant Console/resources/app.asar',
      './opt/Merchant Console/resources/app-update.yml',
      './opt/Merchant Console/resources/apparmor-profile',
      './usr/share/applications/merchant-console.desktop',
      './usr/share/icons/hicolor/256x256/apps/merchant-console.png',
    ])
      expect(files, f).toContain(f);
    const entry = execFileSync(
      'sh',
      [
        '-c',
        `"${dpkgDeb}" --fsys-tarfile "${debFile}" | tar -xO ./usr/share/applications/merchant-console.desktop`,
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(entry).toContain('Name=Merchant Console');
    expect(entry).toMatch(/Exec="?\/opt\/Merchant Console\/merchant-console"? %U/);
    expect(entry).toContain('StartupWMClass=Merchant Console');
  });

  it('ships an AppArmor profile for the Chromium sandbox and installs it after install (Ubuntu 24.04)', () => {
    const profile = readFileSync(join(appOut, 'resources', 'apparmor-profile'), 'utf8');
    expect(profile).toContain('profile "merchant-console" "/opt/Merchant Console/merchant-console"');
    expect(profile).toContain('userns,');
    const control = mkdtempSync(join(tmpdir(), 'mc-deb-control-'));
    execFileSync(dpkgDeb!, ['-e', debFile, control]);
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    expect(postinst).toContain("APPARMOR_PROFILE_SOURCE='/opt/Merchant Console/resources/apparmor-profile'");
    expect(postinst).toContain("APPARMOR_PROFILE_TARGET='/etc/apparmor.d/merchant-console'");
    expect(postinst).toContain('apparmor_parser --replace');
    rmSync(control, { recursive: true, force: true });
  });

  it('knows where its updates come from (app-update.yml from the shop’s publish target)', () => {
    const yml = readFileSync(join(appOut, 'resources', 'app-update.yml'), 'utf8');
    expect(yml).toContain('provider: generic');
    expect(yml).toContain(`url: ${UPDATE_URL}`);
  });
});

describe('the desktop app’s settings in the build', () => {
  it('one product name: package.json (npm start), the config (installed), the app’s identity and the keychain', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    expect(pkg.productName).toBe(PRODUCT_NAME);
    expect(createConfig({}).productName).toBe(PRODUCT_NAME);
    const packed = JSON.parse(extractFile(join(appOut, 'resources', 'app.asar'), 'package.json').toString());
    expect(packed.productName).toBe(PRODUCT_NAME);
    expect(packed.desktopName).toBe(DESKTOP_NAME);
    expect(pkg.desktopName).toBe(DESKTOP_NAME);
    expect(pkg.homepage).toBeTruthy();
    expect(pkg.author.email).toContain('@');
  });

  it('macOS: signed ad hoc without a certificate (hardened runtime off), Developer ID with one', () => {
    const adHoc = createConfig({}).mac!;
    expect(adHoc.identity).toBe('-');
    expect(adHoc.hardenedRuntime).toBe(false);
    expect(adHoc.notarize).toBe(false);
    const withCert = createConfig({ CSC_LINK: 'cert.p12', APPLE_KEYCHAIN_PROFILE: 'p' }).mac!;
    expect(withCert.identity).toBeUndefined(); // electron-builder picks the certificate
    expect(withCert.hardenedRuntime).toBe(true);
    expect(withCert.notarize).toBe(true);
  });

  it('publishes updates where the shop says: a generic https folder, GitHub releases, or nowhere', () => {
    expect(createConfig({}).publish).toBeNull();
    expect(createConfig({ MERCHANT_CONSOLE_UPDATE_URL: UPDATE_URL }).publish).toEqual([
      { provider: 'generic', url: UPDATE_URL },
    ]);
    expect(createConfig({ MERCHANT_CONSOLE_UPDATE_GITHUB: 'shop/console' }).publish).toEqual([
      { provider: 'github', owner: 'shop', repo: 'console' },
    ]);
    expect(() => createConfig({ MERCHANT_CONSOLE_UPDATE_URL: 'http://updates.shop.test/' })).toThrow(/https/);
  });

  it('the packaged app’s menu: its own items, no developer tools or reload', () => {
    const main = extractFile(join(appOut, 'resources', 'app.asar'), 'out/main/index.js').toString();
    expect(main).toContain('setApplicationMenu');
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const items = flatten(
        menuTemplate({
          platform,
          productName: PRODUCT_NAME,
          isDev: false,
          openAtLogin: false,
          openAtLoginSupported: true,
          updatesConfigured: true,
        }),
      );
      expect(items.map((i) => i.role)).not.toContain('toggleDevTools');
      expect(items.map((i) => i.action)).toEqual(
        expect.arrayContaining(['about', 'check-updates', 'open-logs', 'save-diagnostics']),
      );
    }
  });

  // A worktree whose node_modules is a link to another checkout's: npm ls (which electron-builder asks for the
  // production dependencies) follows the link and loses the dependencies of packages added here.
  const linkedModules = lstatSync(join(root, 'node_modules')).isSymbolicLink();
  if (linkedModules)
    console.warn('packaging: node_modules is a link; the dependency check of electron-updater is skipped');
  it.skipIf(linkedModules)('electron-updater goes into the app with its dependencies', () => {
    for (const f of [
      'node_modules/electron-updater/package.json',
      'node_modules/builder-util-runtime/package.json',
    ])
      expect(files, f).toContain(f);
  });
});

describe('the config for every platform', () => {
  const config = createConfig({});

  it('names the app and builds dmg+zip, nsis, AppImage+deb with icons that exist', () => {
    expect(config.appId).toBe('com.merchantconsole.desktop');
    expect(config.productName).toBe('Merchant Console');
    const targets = (t: unknown) => (t as { target: string }[]).map((x) => x.target);
    expect(targets(config.mac!.target)).toEqual(['dmg', 'zip']);
    expect(targets(config.win!.target)).toEqual(['nsis']);
    expect(targets(config.linux!.target)).toEqual(['AppImage', 'deb']);
    for (const icon of [config.mac!.icon, config.win!.icon, config.linux!.icon]) {
      expect(existsSync(join(root, icon!)), icon!).toBe(true);
    }
    expect(config.asarUnpack).toEqual(['node_modules/better-sqlite3/**/*.node']);
    expect(config.npmRebuild).toBe(false);
  });

  it('reads signing and notarization from the environment, and only with complete credentials', () => {
    expect(signingFromEnv({})).toEqual({
      appleNotarize: false,
      macCertificate: false,
      winCertificate: false,
      azure: null,
    });
    expect(signingFromEnv({ APPLE_ID: 'a@b.c' }).appleNotarize).toBe(false);
    expect(
      signingFromEnv({ APPLE_ID: 'a@b.c', APPLE_APP_SPECIFIC_PASSWORD: 'x', APPLE_TEAM_ID: 'T' })
        .appleNotarize,
    ).toBe(true);
    expect(createConfig({ APPLE_KEYCHAIN_PROFILE: 'p' }).mac!.notarize).toBe(false); // no certificate: no notarizing
    expect(createConfig({ APPLE_KEYCHAIN_PROFILE: 'p', CSC_LINK: 'cert.p12' }).mac!.notarize).toBe(true);
    const azure = createConfig({
      AZURE_TENANT_ID: 't',
      AZURE_CLIENT_ID: 'c',
      AZURE_TRUSTED_SIGNING_ENDPOINT: 'https://weu.codesigning.azure.net',
      AZURE_TRUSTED_SIGNING_ACCOUNT: 'acct',
      AZURE_TRUSTED_SIGNING_PROFILE: 'prof',
    }).win!;
    expect(azure.azureSignOptions).toMatchObject({
      codeSigningAccountName: 'acct',
      certificateProfileName: 'prof',
    });
  });
});

describe('afterPack on each platform (file layout faked)', () => {
  const ROOT = '/build/merchant-console';
  const layouts = [
    ['darwin', 3, '/dist/mac-arm64', '/dist/mac-arm64/Merchant Console.app/Contents/Resources'],
    ['win32', 1, '/dist/win-unpacked', '/dist/win-unpacked/resources'],
    ['linux', 1, '/dist/linux-unpacked', '/dist/linux-unpacked/resources'],
  ] as const;
  const unpacked = 'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node';
  const linuxContext = {
    appOutDir: '/d',
    electronPlatformName: 'linux',
    arch: 1,
    packager: {
      projectDir: ROOT,
      getResourcesDir: () => '/d/resources',
      config: { electronVersion: '41.7.1' },
    },
  };

  it.each(layouts)(
    '%s: copies the Electron build over the unpacked module',
    async (platform, arch, out, res) => {
      const host = new FakeHost(platform, arch === 3 ? 'arm64' : 'x64', {
        MERCHANT_CONSOLE_SQLITE_BINDING: '/ci/electron.node',
      });
      host
        .file('/ci/electron.node', 'electron build')
        .file(`${ROOT}/node_modules/better-sqlite3/package.json`, '{"version":"12.11.1"}')
        .file(`${res}/${unpacked}`, 'node build');
      await afterPackHook(host)({
        appOutDir: out,
        electronPlatformName: platform,
        arch,
        packager: { projectDir: ROOT, getResourcesDir: () => res, config: { electronVersion: '41.7.1' } },
      });
      expect(host.files.get(`${res}/${unpacked}`)).toBe('electron build');
    },
  );

  it('fails the packaging with the reason when there is no Electron build to be had', async () => {
    const host = new FakeHost('linux');
    host
      .file(`${ROOT}/node_modules/better-sqlite3/package.json`, '{"version":"12.11.1"}')
      .file(`${ROOT}/node_modules/@electron/rebuild/lib/cli.js`, '')
      .on(() => true, { stderr: 'gyp ERR! find Python\n', code: 1 });
    await expect(afterPackHook(host)(linuxContext)).rejects.toThrow(
      /Could not prepare the SQLite module for Electron 41\.7\.1[\s\S]*build-essential/,
    );
  });

  it('fails loudly when the config stopped unpacking the module', async () => {
    const host = new FakeHost('linux', 'x64', { MERCHANT_CONSOLE_SQLITE_BINDING: '/ci/electron.node' });
    host
      .file('/ci/electron.node', 'electron build')
      .file(`${ROOT}/node_modules/better-sqlite3/package.json`, '{"version":"1"}');
    await expect(afterPackHook(host)(linuxContext)).rejects.toThrow(/asarUnpack/);
  });
});
