// Start the console in browser mode: the core in this Node process, the renderer in any browser on this
// machine. Used by `npm run start:browser`, by `npm start` when Electron can't run, and by the e2e tests.
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { createServices, type Services } from '../core/services';
import { defaultDataDir } from '../core/paths';
import { consoleLogger } from '../core/ports';
import { startEmulator } from '../emulator';
import { DatabaseError } from '../core/store/db';
import { fileSecretStore } from './file-secret-store';
import { startBridge, type Bridge } from './server';

export interface BrowserModeOptions {
  port?: number;
  dataDir?: string;
  rendererDir?: string;
  token?: string;
}

export interface RunningBrowserMode {
  bridge: Bridge;
  services: () => Services;
  close(): Promise<void>;
}

export function rendererDirNextToBundle(): string {
  // out/main/browser.js → out/renderer
  return join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
}

export async function runBrowserMode(o: BrowserModeOptions = {}): Promise<RunningBrowserMode> {
  const dataDir = o.dataDir ?? defaultDataDir();
  const bridge = await startBridge({
    rendererDir: o.rendererDir ?? rendererDirNextToBundle(),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.token ? { token: o.token } : {}),
  });
  const secrets = fileSecretStore(dataDir);
  let services: Services;
  const build = async (): Promise<Services> =>
    createServices({
      dataDir,
      secrets,
      authWindow: bridge.authWindow,
      events: bridge.events,
      station: process.env.MERCHANT_CONSOLE_STATION ?? hostname(),
      startEmulator: async (statePath) => {
        const port = process.env.MERCHANT_CONSOLE_EMULATOR_PORT
          ? Number(process.env.MERCHANT_CONSOLE_EMULATOR_PORT)
          : 0;
        return startEmulator({ statePath, port });
      },
      requestRestart: () => {
        void (async () => {
          consoleLogger.info('Stripe mode changed; restarting the core.');
          await services.close();
          services = await build();
          bridge.setDispatch(services.dispatch);
        })();
      },
    });
  try {
    services = await build();
  } catch (e) {
    await bridge.close();
    throw e;
  }
  bridge.setDispatch(services.dispatch);
  return {
    bridge,
    services: () => services,
    close: async () => {
      await bridge.close();
      await services.close();
    },
  };
}

export function describeStartupError(e: unknown): string {
  if (e instanceof DatabaseError) return e.message;
  return `The console could not start: ${(e as Error).message}`;
}
