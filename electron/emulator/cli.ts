/**
 * CLI: `npx tsx electron/emulator/cli.ts [--port 12111] [--state FILE] [--seed demo]` (or `npm run emulator --`)
 * Runs the Stripe emulator in the foreground on 127.0.0.1 and prints
 * `Stripe emulator listening on http://127.0.0.1:<port>`. `--port 0` picks a free port. `--state FILE` keeps
 * state in SQLite across restarts (default: in memory). `--seed demo` then creates the demo shop's catalog
 * through the API (idempotent; see seed.ts) and prints `Seeded demo: N created, M already there`.
 * `--rate-limit` turns on Stripe's rate limiter (429 above 25 requests/s for test, 100 for live, or N; off by
 * default). Stops cleanly on SIGINT/SIGTERM.
 */
import { startEmulator } from './index';
import type { EmulatorOptions } from './index';
import { SEEDS, seedEmulator } from './seed';
import type { SeedName } from './seed';

function parseArgs(argv: string[]): EmulatorOptions & { seed?: SeedName } {
  const opts: EmulatorOptions & { seed?: SeedName } = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.includes('=') ? (a.split('=', 2) as [string, string]) : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--port': {
        const p = Number(value());
        if (!Number.isInteger(p) || p < 0 || p > 65535) throw new Error('--port must be 0–65535');
        opts.port = p;
        break;
      }
      case '--state':
        opts.statePath = value();
        break;
      case '--host':
        opts.host = value();
        break;
      case '--seed': {
        const seed = value();
        if (!(SEEDS as readonly string[]).includes(seed))
          throw new Error(`--seed must be one of: ${SEEDS.join(', ')}`);
        opts.seed = seed as SeedName;
        break;
      }
      case '--rate-limit': {
        const v = value();
        const n = Number(v);
        if (v === 'test' || v === 'live') opts.rateLimit = v;
        else if (Number.isFinite(n) && n > 0) opts.rateLimit = n;
        else throw new Error('--rate-limit must be test, live or a positive number of requests a second');
        break;
      }
      case '--help':
      case '-h':
        process.stdout.write(
          'Usage: tsx electron/emulator/cli.ts [--port N] [--state FILE] [--seed demo] [--rate-limit test|live|N]\n',
        );
        process.exit(0);
        break;
      default:
        throw new Error(`Unknown argument: ${a}`);
    }
  }
  return opts;
}

async function main(): Promise<void> {
  let opts: EmulatorOptions & { seed?: SeedName };
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const emu = await startEmulator({ port: 12111, ...opts });
  process.stdout.write(`Stripe emulator listening on ${emu.url}\n`);
  if (opts.seed) {
    const r = await seedEmulator(emu, opts.seed);
    process.stdout.write(`Seeded ${opts.seed}: ${r.created} created, ${r.existing} already there\n`);
  }
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
