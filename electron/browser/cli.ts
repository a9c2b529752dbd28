// `npm run start:browser [-- --port N]`
import { runBrowserMode, describeStartupError } from './run';

function parsePort(argv: string[]): number | undefined {
  const i = argv.indexOf('--port');
  if (i < 0) return undefined;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`--port needs a number from 0 to 65535 (got ${argv[i + 1] ?? 'nothing'}).`);
    process.exit(2);
  }
  return n;
}

const port = parsePort(process.argv.slice(2));
try {
  const running = await runBrowserMode(port !== undefined ? { port } : {});
  const s = running.services();
  console.log(
    `Merchant console (browser mode, ${s.mode} mode) — open this address in a browser on this machine:`,
  );
  console.log(running.bridge.url);
  if (s.emulator) console.log(`Offline demo: the built-in Stripe emulator listens on ${s.emulator.url}`);
  const stop = () => {
    void running.close().finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error(describeStartupError(e));
  process.exit(1);
}
