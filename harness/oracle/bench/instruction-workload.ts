/**
 * The work `oracle-instructions.ts` counts under valgrind: the oracle bench's inputs (bench-world.ts),
 * predicted in order, passes over the probes, a new oracle per pass for `cold` (as oracle-bench.ts
 * does). Always WARM_UP decisions first, then `--decisions` more: the driver runs this twice and takes
 * the difference, so start-up, compilation and the warm-up cancel out.
 */
import { ManualClock } from "../../core/index.ts";
import { createOracle } from "../index.ts";
import { SEED, benchWorld, mulberry32, probes } from "./bench-world.ts";

export const WARM_UP = 60_000;

function option(name: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || i + 1 >= process.argv.length) throw new Error(`instruction-workload: --${name} is required`);
  return process.argv[i + 1]!;
}

const rules = Number(option("rules"));
const kind = option("kind");
const total = WARM_UP + Number(option("decisions"));
const rnd = mulberry32(SEED + rules);
const world = benchWorld(rules, rnd);
// The same draws as oracle-bench.ts: 60 000 unique-name probes of which the first 30 000 are kept, then the warm ones.
const cold = probes(60_000, rnd, true).slice(0, 30_000);
const warm = probes(20_000, rnd, false);
const ps = kind === "cold" ? cold : warm;
const clock = new ManualClock(0);
const newOracle = () => createOracle({ gate: true, version: "1.37.2", clock });
let oracle = newOracle();
for (let done = 0; done < total; ) {
  for (let i = 0; i < ps.length && done < total; i++, done++) {
    oracle.predict(world, ps[i]!.requestor, ps[i]!.request);
    clock.advance(1);
  }
  if (kind === "cold") oracle = newOracle();
}
