// Whether the desktop smoke test (test/e2e-desktop, `npm run test:desktop`) can run on this machine: it needs
// Electron's binary — never downloaded here, only found (node_modules/electron's, or
// ELECTRON_OVERRIDE_DIST_PATH) — and, on Linux, a display. When it can't, one line says why and what to do.
import type { Host } from './host';
import { findElectron } from './electron-binary';

export type SmokePlan = { run: true; bin: string } | { run: false; line: string };

export function desktopSmokePlan(host: Host, root: string): SmokePlan {
  const bin = findElectron(host, root);
  if (!bin)
    return {
      run: false,
      line:
        'test:desktop skipped: no Electron binary on this machine (node_modules/electron/dist is not there; ' +
        '`npm start` downloads it where GitHub or ELECTRON_MIRROR is reachable).',
    };
  if (host.platform === 'linux' && !host.env.DISPLAY && !host.env.WAYLAND_DISPLAY)
    return {
      run: false,
      line: 'test:desktop skipped: no display (DISPLAY is not set); run it under `xvfb-run npm run test:desktop`.',
    };
  return { run: true, bin };
}
