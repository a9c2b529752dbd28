// electron-builder's afterPack hook: puts better-sqlite3 built for the packaged Electron (and the target
// platform and architecture) where the packaged app loads it — app.asar.unpacked, beside the archive — in
// place of node_modules' build for Node. electron-builder's own `npmRebuild` would rebuild node_modules in
// place and break the tests' Node build; this uses the same private, verified build as `npm start`
// (native-sqlite.ts: @electron/rebuild, prebuilt first, then compile). It runs before signing, so the
// signature covers the module. A build that can't be had fails the packaging, with the reason and what to do.
import { join } from 'node:path';
import type { Host } from './host';
import { realHost } from './host';
import { electronVersion, findElectron } from './electron-binary';
import { ensureElectronSqlite } from './native-sqlite';
// The module's place in the packaged app, under the resources folder: the one main loads.
import { UNPACKED_BINDING } from '../../electron/main/native-binding';

/** The part of electron-builder's AfterPackContext the hook reads. */
export interface PackContextLike {
  appOutDir: string;
  electronPlatformName: string;
  /** builder-util's Arch enum value (0 ia32, 1 x64, 2 armv7l, 3 arm64, 4 universal). */
  arch: number;
  packager: {
    projectDir: string;
    getResourcesDir(appOutDir: string): string;
    config: { electronVersion?: string | null };
  };
}

export const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'] as const;

export function afterPackHook(host: Host = realHost()) {
  return async function afterPack(context: PackContextLike): Promise<void> {
    const root = context.packager.projectDir;
    const platform = (
      context.electronPlatformName === 'mas' ? 'darwin' : context.electronPlatformName
    ) as NodeJS.Platform;
    const arch = ARCH_NAMES[context.arch];
    if (!arch || arch === 'universal') {
      throw new Error(
        `Packaging for architecture ${arch ?? context.arch} is not supported (build x64 and arm64 separately).`,
      );
    }
    const version = context.packager.config.electronVersion ?? electronVersion(host, root);
    if (!version) throw new Error('The Electron version is unknown (node_modules/electron is missing).');
    // Electron can only be run to check the build when it is this machine's platform and architecture.
    const sameMachine = platform === host.platform && arch === host.arch;
    const electronBin = sameMachine ? findElectron(host, root) : null;
    if (!electronBin) {
      host.print(
        `  no Electron for ${platform}-${arch} on this machine: the SQLite module can't be loaded under it here (not checked)`,
      );
    }
    const built = await ensureElectronSqlite(host, {
      root,
      target: { electronVersion: version, platform, arch },
      electronBin,
    });
    if (!built.ok) {
      throw new Error(
        [built.reason, ...built.guidance, ...(built.logPath ? [`Log: ${built.logPath}`] : [])].join('\n  '),
      );
    }
    const resources = context.packager.getResourcesDir(context.appOutDir);
    const target = join(resources, ...UNPACKED_BINDING);
    if (!host.exists(target)) {
      throw new Error(
        `The packaged app has no ${UNPACKED_BINDING.join('/')} under ${resources}: check asarUnpack in electron-builder.config.ts.`,
      );
    }
    host.copyFile(built.binding, target);
    host.print(`  better-sqlite3 for Electron ${version} (${platform}-${arch}) → ${target}`);
  };
}
