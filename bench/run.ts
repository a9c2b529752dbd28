// `npm run bench`: every speed figure the issues ask for, measured on this machine. Sections run one after
// another (2 cores: nothing else should run meanwhile); progress goes to stderr, and the last line of stdout
// is one JSON object with every figure.
import { benchEmulator } from './emulator';
import { benchSync } from './sync';
import { benchUi } from './ui';
import { benchSim } from './sim';

const figures: Record<string, unknown> = {};
const sections: [string, () => Promise<Record<string, unknown>>][] = [
  ['emulator', benchEmulator],
  ['sync', benchSync],
  ['ui', benchUi],
  // The long simulation of several stations (issue 19): as many seeded runs as fit in SIM_SECONDS (default 240
  // here, so the whole bench stays under 15 minutes), each with every action and fault.
  [
    'sim',
    async () =>
      (await benchSim({
        ...process.env,
        SIM_SECONDS: process.env.SIM_SECONDS ?? '240',
        SIM_RUNS: process.env.SIM_RUNS ?? '10000',
      })) as unknown as Record<string, unknown>,
  ],
];
for (const [name, run] of sections) {
  const t0 = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  Object.assign(figures, await run());
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
console.log(JSON.stringify(figures));
process.exit(0);
