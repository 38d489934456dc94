/**
 * `npm run bench:oracle`: oracle decisions per second on one core (not a test).
 *
 * For RBAC worlds of 10, 50 and 200 policy rules (fixed seed), a realistic mix of probes through the
 * full public path — attribution, the privileged-groups → webhook → Node → RBAC chain, the filter
 * model in every mode, the final authorization: user-info (with and without uid/groups/extras),
 * service accounts, arbitrary and associated nodes, legacy, no impersonation, allowed and denied.
 * "cold" gives every decision a fresh requestor name (empty mode index, empty caches: every check
 * made); "warm" cycles a few requestors, so the mode index and the 10 s caches hit. The clock advances
 * 1 ms per decision. Rates are per CPU second of this process (the machine may be shared).
 * Target: ≥ 200 000 decisions/s at 50 rules.
 */
import { ManualClock, type World } from "../../core/index.ts";
import { createOracle } from "../index.ts";
import { SEED, benchWorld, mulberry32, probes, type Probe } from "./bench-world.ts";

interface Measurement {
  readonly decisions: number;
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly outcomes: Record<string, number>;
}

/**
 * Predict `ps` in order (repeating until `minCpuMs` of CPU time) with a fresh oracle. Only
 * `oracle.predict` and the clock step are inside the timed loop: probes are generated beforehand and
 * the mix is tallied afterwards from the first pass's predictions.
 */
function measure(w: World, ps: readonly Probe[], minCpuMs: number): Measurement {
  const clock = new ManualClock(0);
  const oracle = createOracle({ gate: true, version: "1.37.2", clock });
  // The first pass's modes and outcomes, as references to the prediction's own strings (nothing is
  // allocated for the tally inside the timed loop).
  const modes = new Array<string | null>(ps.length).fill(null);
  const outcomes0 = new Array<string>(ps.length).fill("");
  let done = 0;
  // CPU time of this process (all its threads, so GC helper threads count), not wall time: the machine
  // is shared, and "per second on one core" is what we want to know. Wall time is reported alongside.
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  let cpuMs: number;
  do {
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
  } while (cpuMs < minCpuMs);
  const wallMs = performance.now() - wall0;
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < ps.length; i++) {
    const k = `${modes[i] ?? "none"}/${outcomes0[i]}`;
    outcomes[k] = (outcomes[k] ?? 0) + 1;
  }
  return { decisions: done, cpuMs, wallMs, outcomes };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : fallback;
}

// `npm run bench:oracle -- --rules 50 --repeat 3`: the world sizes, and how many times each cell is
// measured in this process (the median is printed).
const RULES = option("rules", "10,50,200").split(",").map(Number);
const REPEAT = Number(option("repeat", "1"));
const PROBES = 20_000;
const COLD_PROBES = 60_000;
const WARM_MIN_CPU_MS = 1500;
const WARM_UP_CPU_MS = 2000;

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

const rows: string[][] = [];
const fmt = (n: number): string => Math.round(n).toLocaleString("en");
let mixReport = "";
for (const n of RULES) {
  const rnd = mulberry32(SEED + n);
  const w = benchWorld(n, rnd);
  const cold = probes(COLD_PROBES, rnd, true); // every requestor name unique: nothing cached for it
  const warm = probes(PROBES, rnd, false);
  // Warm up the JIT (and let the heap settle) on other probes of the same world, each pass with a fresh
  // oracle so no state is shared: the rates wanted are those of a long-running process.
  const warmUp = probes(20_000, mulberry32(SEED + n + 1), true);
  const warmUpStart = process.cpuUsage();
  do {
    measure(w, warmUp, 0);
    measure(w, warm.slice(0, 5000), 0);
  } while (cpuMsSince(warmUpStart) < WARM_UP_CPU_MS);
  const c: Measurement[] = [];
  const h: Measurement[] = [];
  for (let r = 0; r < REPEAT; r++) {
    c.push(measure(w, cold, 0)); // one pass, so names never repeat
    h.push(measure(w, warm, WARM_MIN_CPU_MS));
  }
  const rate = (m: Measurement): number => (m.decisions / m.cpuMs) * 1000;
  const wallRate = (m: Measurement): number => (m.decisions / m.wallMs) * 1000;
  rows.push([
    String(n),
    fmt(median(c.map(rate))),
    fmt(median(c.map((m) => m.cpuMs))),
    fmt(median(c.map(wallRate))),
    fmt(median(h.map(rate))),
    fmt(median(h.map((m) => m.cpuMs))),
    fmt(median(h.map(wallRate))),
  ]);
  if (n === 50 || mixReport === "") {
    mixReport = `mix at ${n} rules (cold): ${Object.entries(c[0]!.outcomes).sort().map(([k, v]) => `${k} ${((100 * v) / COLD_PROBES).toFixed(1)}%`).join(", ")}`;
  }
}

const header = ["rules", "cold dec/CPU-s", "cold CPU ms", "cold dec/wall-s", "warm dec/CPU-s", "warm CPU ms", "warm dec/wall-s"];
// cold: 60 000 probes with unique requestor names, one pass; warm: 20 000 probes over 16 names, ≥ 1.5 CPU-s
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padStart(widths[i]!)).join(" | ")} |`;
console.log(
  `oracle-bench: gate on, v1.37.2, seed ${SEED}, Node ${process.version}, one thread; cold = ${COLD_PROBES.toLocaleString("en")} unique ` +
    `requestors, one pass; warm = ${PROBES.toLocaleString("en")} probes over 16 requestors, ≥ ${WARM_MIN_CPU_MS} CPU-ms` +
    (REPEAT > 1 ? `; median of ${REPEAT}` : ""),
);
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows) console.log(line(r));
console.log(mixReport);
