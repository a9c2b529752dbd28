// `npm run bench`: every speed figure the issues ask for, measured on this machine. Sections run one after
// another (2 cores: nothing else should run meanwhile); progress goes to stderr, and the last line of stdout
// is one JSON object with every figure.
import { benchEmulator } from './emulator';
import { benchSync } from './sync';
import { benchUi } from './ui';

const figures: Record<string, number> = {};
const sections: [string, () => Promise<Record<string, number>>][] = [
  ['emulator', benchEmulator],
  ['sync', benchSync],
  ['ui', benchUi],
];
for (const [name, run] of sections) {
  const t0 = performance.now();
  process.stderr.write(`bench: ${name}…\n`);
  Object.assign(figures, await run());
  process.stderr.write(`bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}
console.log(JSON.stringify(figures));
process.exit(0);
