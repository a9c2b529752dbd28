// Where a station keeps its data. MERCHANT_CONSOLE_DATA_DIR overrides it (tests; two stations on one machine).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_DIR_NAME = 'merchant-console';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.MERCHANT_CONSOLE_DATA_DIR) return env.MERCHANT_CONSOLE_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), APP_DIR_NAME);
}
