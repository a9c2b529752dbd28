// The long simulation of a shop (issue 19): many seeded runs of 2–4 stations on one emulator, every staff action
// and every fault, the invariants checked against Stripe after each run (test/helpers/sim-run.ts). benchSim()
// returns the figures for bench/run.ts; run on its own, it prints them as one JSON line on stdout:
//   { "sim_runs": N, "sim_violations": N, "sim_failing_seeds": [...], "sim_by_invariant": {...}, ... }
// Progress and each failure (its seed, path, commands and what happened) go to stderr.
//
//   npx tsx bench/sim.ts                           SIM_RUNS runs (default 20) from SIM_FIRST_SEED (default 1)
//   SIM_RUNS=1000 SIM_SIZE=40 npx tsx bench/sim.ts   SIM_SIZE: commands per run at most (default 40)
//   SIM_SEED=17 [SIM_PATH=0] npx tsx bench/sim.ts    replay one run (SIM_SHRINK=1: look for a smaller one, slow)
//   SIM_ACTIONS=pay,hold,capture SIM_FAULTS=kill,offline   only these (default: all of both; SIM_FAULTS=none)
//   SIM_SECONDS=600                                 start no run after this long
//   SIM_TRACE=1                                     print every run's steps, passing ones too
//   SIM_DEBUG=1                                     a failure also lists each order's PaymentIntents and charges
import { fileURLToPath } from 'node:url';
import { ACTIONS, FAULTS } from '../test/helpers/sim-commands';
import { lastTrace, parseSet, runSim, type Action, type FaultName } from '../test/helpers/sim-run';

export interface SimBench {
  sim_runs: number;
  sim_violations: number;
  sim_failing_seeds: { seed: number; path: string | null; invariants: string[] }[];
  sim_by_invariant: Record<string, number>;
  sim_commands_per_run: number;
  sim_actions: string[];
  sim_faults: string[];
  sim_seconds: number;
}

export async function benchSim(env: NodeJS.ProcessEnv = process.env): Promise<SimBench> {
  const actions = parseSet<Action>(env.SIM_ACTIONS, ACTIONS, ACTIONS);
  const faults = parseSet<FaultName>(env.SIM_FAULTS, FAULTS, FAULTS);
  const size = Number(env.SIM_SIZE ?? 40);
  const runs = Number(env.SIM_RUNS ?? 20);
  const first = Number(env.SIM_FIRST_SEED ?? 1);
  const budgetMs = Number(env.SIM_SECONDS ?? 1e9) * 1000;
  const seeds = env.SIM_SEED ? [Number(env.SIM_SEED)] : Array.from({ length: runs }, (_, i) => first + i);
  const started = Date.now();
  let done = 0;
  const failing: SimBench['sim_failing_seeds'] = [];
  const byInvariant: Record<string, number> = {};
  for (const seed of seeds) {
    if (Date.now() - started > budgetMs) break;
    const t = Date.now();
    const r = await runSim({
      seed,
      size,
      actions,
      faults,
      ...(env.SIM_PATH ? { path: env.SIM_PATH } : {}),
      shrink: env.SIM_SHRINK === '1',
    });
    done++;
    const took = ((Date.now() - t) / 1000).toFixed(1);
    if (r.ok) {
      process.stderr.write(`seed ${seed}: ok (${took} s)\n`);
      if (env.SIM_TRACE === '1') process.stderr.write(`${lastTrace.join('\n')}\n\n`);
      continue;
    }
    const names = [...new Set(r.violations.map((v) => v.invariant))];
    for (const n of names) byInvariant[n] = (byInvariant[n] ?? 0) + 1;
    failing.push({ seed, path: r.path, invariants: names });
    process.stderr.write(
      `seed ${seed}: ${names.join(', ')} (${took} s) — replay: SIM_SEED=${seed} SIM_PATH=${r.path} npx tsx bench/sim.ts\n` +
        `  commands: ${r.commands}\n${r.message}\n\n`,
    );
  }
  return {
    sim_runs: done,
    sim_violations: failing.length,
    sim_failing_seeds: failing,
    sim_by_invariant: byInvariant,
    sim_commands_per_run: size,
    sim_actions: [...actions],
    sim_faults: [...faults],
    sim_seconds: Math.round((Date.now() - started) / 1000),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  benchSim().then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r)}\n`);
      process.exit(0);
    },
    (e: unknown) => {
      process.stderr.write(`${String((e as Error)?.stack ?? e)}\n`);
      process.exit(1);
    },
  );
}
