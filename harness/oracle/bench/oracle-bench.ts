/**
 * `npm run bench:oracle`: oracle decisions per second on one core (not a test).
 *
 * For RBAC worlds of 10, 50 and 200 policy rules (fixed seed), a realistic mix of probes through the
 * full public path — attribution, the privileged-groups → webhook → Node → RBAC chain, the filter
 * model in every mode, the final authorization: user-info (with and without uid/groups/extras),
 * service accounts, arbitrary and associated nodes, legacy, no impersonation, allowed and denied.
 * "cold" gives every decision a fresh requestor name (empty mode index, empty caches: every check
 * made): passes over 30 000 probes with unique names, each pass with a new oracle. "warm" cycles 16
 * requestors through one oracle, so the mode index and the 10 s caches hit. The clock advances 1 ms
 * per decision. Each cell runs for at least 1.5 CPU-s, after a JIT warm-up.
 *
 * Both cells predict the same pre-made probe objects pass after pass, so from the second pass on V8 has
 * each probe string's hash and flat form, and the probes are old objects: work a runner's just-made probes
 * pay on every decision is not in these rates. `bench:oracle:instructions` counts it (its `fresh` cell).
 *
 * Rates are per CPU second of this process (all its threads, so GC helper threads count: that is
 * what one core would have to do), not per wall second. Only `predict` and the clock step are inside
 * the timed loop. Probes are generated beforehand.
 *
 * Each cell is measured `--repeat` times (default 5) and printed as the median with the range. The
 * range is there because on a shared virtual machine this memory-bound loop (tens of MB of probes and
 * oracle state) runs at rates that drift by ±30% within one process and between processes, while a
 * CPU-only loop on the same machine holds within ±5%: one number alone says little about the code.
 * Target: ≥ 200 000 decisions/s at 50 rules; the last line says which cells meet it.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ManualClock, type World } from "../../core/index.ts";
import { createOracle, type Oracle } from "../index.ts";
import { COLD_PROBES, SEED, WARM_PROBES, benchInputs, benchOption, type BenchInputs, type Probe } from "./bench-world.ts";

interface Measurement {
  readonly decisions: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly outcomes: Record<string, number>;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

/** A full GC now (`global.gc` without `--expose-gc` on the command line: tsx runs the bench). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as unknown;
  if (typeof gc === "function") gc();
}

const newOracle = (clock: ManualClock): Oracle => createOracle({ gate: true, version: "1.37.2", clock });

/**
 * Predict `ps` in order, pass after pass until `minCpuMs` of CPU time (at least one pass): with a new
 * oracle for every pass (`cold`) or one oracle throughout. The mix is tallied from the first pass.
 */
function measure(w: World, ps: readonly Probe[], minCpuMs: number, cold: boolean): Measurement {
  const clock = new ManualClock(0);
  let oracle = newOracle(clock);
  // The first pass's modes and outcomes, as references to the prediction's own strings (nothing is
  // allocated for the tally inside the timed loop).
  const modes = new Array<string | null>(ps.length).fill(null);
  const outcomes0 = new Array<string>(ps.length).fill("");
  let done = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  let cpuMs: number;
  for (;;) {
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      const pred = oracle.predict(w, p.requestor, p.request);
      if (done < ps.length) {
        modes[i] = pred.mode;
        outcomes0[i] = pred.outcome;
      }
      clock.advance(1);
      done++;
    }
    cpuMs = cpuMsSince(cpu0);
    if (cpuMs >= minCpuMs) break;
    if (cold) oracle = newOracle(clock);
  }
  const wallMs = performance.now() - wall0;
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < ps.length; i++) {
    const k = `${modes[i] ?? "none"}/${outcomes0[i]}`;
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  }
  return { decisions: done, cpuMs, wallMs, outcomes };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// `npm run bench:oracle -- --rules 50 --repeat 3`: the world sizes, and how many times each cell is
// measured in this process (the median and the range are printed).
const RULES = benchOption("rules", "10,50,200").split(",").map(Number);
const REPEAT = Number(benchOption("repeat", "5"));
if (RULES.some((n) => !Number.isInteger(n) || n < 1) || !Number.isInteger(REPEAT) || REPEAT < 1) {
  process.stderr.write("bench:oracle: --rules takes positive integers separated by commas (e.g. 10,50,200) and --repeat a positive integer\n");
  process.exit(2);
}
const MIN_CPU_MS = 1500;
/** Untimed runs before measuring a world: longer before the first (the JIT starts cold). */
const FIRST_WARM_UP_CPU_MS = 4000;
const WARM_UP_CPU_MS = 1500;

const rows: string[][] = [];
const medians = new Map<number, { cold: number; warm: number }>();
const TARGET = 200_000;
const fmt = (n: number): string => Math.round(n).toLocaleString("en");
let mixReport = "";
/** Run the world's probes through oracles of their own, untimed, for `ms` of CPU time. */
function warmUp(input: BenchInputs, ms: number): void {
  const start = process.cpuUsage();
  do {
    measure(input.world, input.cold.slice(0, 10_000), 0, true);
    measure(input.world, input.warm.slice(0, 5000), 0, false);
  } while (cpuMsSince(start) < ms);
}

let warmUpMs = FIRST_WARM_UP_CPU_MS;
for (const n of RULES) {
  // One world's inputs at a time: the probes are most of the heap, and every major GC traces them.
  const inputs = benchInputs(n);
  const { world: w, cold, warm } = inputs;
  // The probes are old objects by now, not garbage (or young objects) the first measurement would pay
  // to trace and move. Then JIT warm-up, and the heap grown to its working size: the rates wanted are
  // those of a long-running process.
  collectGarbage();
  warmUp(inputs, warmUpMs);
  warmUpMs = WARM_UP_CPU_MS;
  const c: Measurement[] = [];
  const h: Measurement[] = [];
  for (let r = 0; r < REPEAT; r++) {
    c.push(measure(w, cold, MIN_CPU_MS, true));
    h.push(measure(w, warm, MIN_CPU_MS, false));
  }
  const rate = (m: Measurement): number => (m.decisions / m.cpuMs) * 1000;
  const range = (ms: readonly Measurement[]): string => `${fmt(Math.min(...ms.map(rate)))}–${fmt(Math.max(...ms.map(rate)))}`;
  medians.set(n, { cold: median(c.map(rate)), warm: median(h.map(rate)) });
  rows.push([
    String(n),
    fmt(median(c.map(rate))),
    range(c),
    fmt(median(h.map(rate))),
    range(h),
    fmt(median([...c, ...h].map((m) => m.cpuMs / m.wallMs)) * 100) + "%",
  ]);
  if (n === 50 || mixReport === "") {
    mixReport = `mix at ${n} rules (cold): ${Object.entries(c[0]!.outcomes).sort().map(([k, v]) => `${k} ${((100 * v) / COLD_PROBES).toFixed(1)}%`).join(", ")}`;
  }
}

const header = ["rules", "cold dec/CPU-s", "cold range", "warm dec/CPU-s", "warm range", "CPU/wall"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
console.log(
  `oracle-bench: gate on, v1.37.2, seed ${SEED}, Node ${process.version}; cold = passes over ${COLD_PROBES.toLocaleString("en")} unique ` +
    `requestors, a new oracle each; warm = ${WARM_PROBES.toLocaleString("en")} probes over 16 requestors; ≥ ${MIN_CPU_MS} CPU-ms per cell` +
    `; median of ${REPEAT} with the range; the same probe objects every pass (for just-made ones, see bench:oracle:instructions' fresh cell)`,
);
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
console.log(mixReport);
const at50 = medians.get(50);
if (at50) {
  const verdict = (x: number): string => `${fmt(x)} ${x >= TARGET ? "meets" : "misses"}`;
  console.log(`target ≥ ${fmt(TARGET)} decisions/CPU-s at 50 rules (medians): cold ${verdict(at50.cold)} it, warm ${verdict(at50.warm)} it`);
}
