/**
 * The work `oracle-instructions.ts` counts under valgrind: the oracle bench's inputs (bench-world.ts),
 * predicted in order, passes over the probes, a new oracle per pass for `cold` (as oracle-bench.ts
 * does). Always WARM_UP decisions first, then `--decisions` more, then a full collection (when run with
 * `--expose-gc`): the driver runs this twice and takes the difference, so start-up, compilation, the
 * warm-up and the final collection cancel out, and the garbage the decisions left is counted.
 */
import { ManualClock } from "../../core/index.ts";
import { createOracle } from "../index.ts";
import { benchInputs, benchOption } from "./bench-world.ts";

export const WARM_UP = 60_000;

const kind = benchOption("kind");
const total = WARM_UP + Number(benchOption("decisions"));
const { world, cold, warm } = benchInputs(Number(benchOption("rules")));
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
// Collected here in both runs: otherwise the long run's count depends on whether an old-generation
// collection happened to start inside its window.
(globalThis as { gc?: () => void }).gc?.();
