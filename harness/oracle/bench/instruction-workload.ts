/**
 * The work `oracle-instructions.ts` counts under valgrind: the oracle bench's inputs (bench-world.ts),
 * predicted in order. Always WARM_UP decisions first, then `--decisions` more, then a full collection
 * (when run with `--expose-gc`): the driver runs this twice and takes the difference, so start-up,
 * compilation, the warm-up and the final collection cancel out, and the garbage the decisions left is
 * counted.
 *
 * - `cold`, `warm`: passes over the pre-made probes, a new oracle per pass for `cold` (as
 *   oracle-bench.ts does).
 * - `fresh`: probes made FRESH_CHUNK at a time just before they are predicted (`freshProbes`), a new
 *   oracle every COLD_PROBES decisions as for `cold`. With `--predict no` the probes after the warm-up
 *   are made and not predicted: the driver subtracts that run, so the count is the oracle's alone,
 *   including the collection work its state makes of young inputs.
 */
import { ManualClock } from "../../core/index.ts";
import { createOracle } from "../index.ts";
import { COLD_PROBES, FRESH_CHUNK, benchInputs, benchOption, freshProbes, type Probe } from "./bench-world.ts";

export const WARM_UP = 60_000;

const kind = benchOption("kind");
const rules = Number(benchOption("rules"));
const total = WARM_UP + Number(benchOption("decisions"));
const clock = new ManualClock(0);
const newOracle = () => createOracle({ gate: true, version: "1.37.2", clock });
let oracle = newOracle();

if (kind === "fresh") {
  const predictAll = benchOption("predict", "yes") === "yes";
  const { world, next } = freshProbes(rules);
  // A sink for the probes that are not predicted, so making them is not optimised away.
  let made = 0;
  for (let done = 0; done < total; ) {
    const ps: Probe[] = next(FRESH_CHUNK);
    for (let i = 0; i < ps.length && done < total; i++, done++) {
      if (predictAll || done < WARM_UP) oracle.predict(world, ps[i]!.requestor, ps[i]!.request);
      else made += ps[i]!.requestor.username.length;
      clock.advance(1);
      if ((done + 1) % COLD_PROBES === 0) oracle = newOracle();
    }
  }
  if (made < 0) throw new Error("unreachable");
} else {
  const { world, cold, warm } = benchInputs(rules);
  const ps = kind === "cold" ? cold : warm;
  for (let done = 0; done < total; ) {
    for (let i = 0; i < ps.length && done < total; i++, done++) {
      oracle.predict(world, ps[i]!.requestor, ps[i]!.request);
      clock.advance(1);
    }
    if (kind === "cold") oracle = newOracle();
  }
}
// Collected here in both runs: otherwise the long run's count depends on whether an old-generation
// collection happened to start inside its window.
(globalThis as { gc?: () => void }).gc?.();
