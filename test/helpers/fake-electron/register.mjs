// `node --import ./register.mjs out/main/index.js`: the built main process with `electron` answered by
// ./electron.mjs, a stand-in that records what main does (see test/unit/electron/main/wiring.test.ts).
import { register } from 'node:module';

register(new URL('./hooks.mjs', import.meta.url));
