/**
 * `npm run bench:oracle:instructions [-- --rules 50 --decisions 300000]`: machine instructions per oracle
 * decision, cold and warm (the cells of `bench:oracle`), counted by valgrind (cachegrind, no cache
 * simulation). Not a test, and not a rate: a count that does not depend on what else the machine is
 * doing. On a shared virtual machine `bench:oracle`'s rates drift by ±30%, so a change of a few percent
 * can only be seen here. Node runs with `--single-threaded` (no concurrent compilation, GC on the main
 * thread) so that garbage collection is counted and the JIT tiers the same way each run, and with fixed
 * hash and random seeds so that hash tables probe the same way each run; each cell is
 * the difference of two runs (warm-up only, warm-up plus `--decisions`) divided by `--decisions`.
 * Both runs end with a full garbage collection, and the window is long (300 000 decisions by default):
 * with 60 000 and no final collection, whether an old-generation collection fell inside the window moved
 * a cell by up to ±8% between runs of the same code.
 * The workload runs as one esbuild bundle (in a temp dir removed at exit), not through tsx: tsx's module
 * loader works on a thread of its own, and under it two counts of the same code differed by up to 5%.
 * A bundle's cold counts have repeated exactly and its warm counts mostly to 0.1%, so a change of one
 * or two percent shows; once, a warm count of the same code moved by 4% (an old-generation collection
 * inside the window or not, which V8 times by the clock): a surprising warm figure is worth a second run.
 * `fresh` counts what `bench:oracle` cannot time apart from making the probes: cold's mix, each probe made
 * just before it is predicted (young objects, strings not yet hashed or flattened), as in a runner or a
 * property test. Its two runs make the same probes; one predicts them, and the difference is counted.
 * Needs valgrind (Debian: `apt-get install valgrind`); takes about eight minutes (two runs at a time).
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { execa } from "execa";
import { makeTempDir } from "../../cluster/local/process/temp-dir.ts";
import { benchOption } from "./bench-world.ts";

const WORKLOAD = fileURLToPath(new URL("./instruction-workload.ts", import.meta.url));

/** The workload as one ES module with every import inlined, written to `dir`. */
async function bundleWorkload(dir: string): Promise<string> {
  const outfile = join(dir, "instruction-workload.mjs");
  await build({ entryPoints: [WORKLOAD], bundle: true, platform: "node", format: "esm", outfile, logLevel: "error" });
  return outfile;
}

/** Instructions valgrind counted for the workload with `decisions` extra decisions (`extra`: more workload options). */
async function instructions(workload: string, rules: number, kind: string, decisions: number, extra: readonly string[] = []): Promise<number> {
  const r = await execa(
    "valgrind",
    [
      "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
      process.execPath, "--single-threaded", "--expose-gc", "--hash-seed=5284", "--random-seed=5284", workload,
      "--rules", String(rules), "--kind", kind, "--decisions", String(decisions), ...extra,
    ],
    { reject: false, all: true },
  );
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.all ?? "");
  if (r.exitCode !== 0 || !m) throw new Error(`valgrind run failed (exit ${r.exitCode}): ${(r.all ?? "").trim().split("\n").slice(-3).join(" | ")}`);
  return Number(m[1]!.replaceAll(",", ""));
}

async function perDecision(workload: string, rules: number, kind: string, decisions: number): Promise<number> {
  const [base, more] = await Promise.all([instructions(workload, rules, kind, 0), instructions(workload, rules, kind, decisions)]);
  return (more - base) / decisions;
}

/** `fresh`: the run that predicts its probes less the run that only makes them (instruction-workload.ts). */
async function freshPerDecision(workload: string, rules: number, decisions: number): Promise<number> {
  const [made, predicted] = await Promise.all([
    instructions(workload, rules, "fresh", decisions, ["--predict", "no"]),
    instructions(workload, rules, "fresh", decisions, ["--predict", "yes"]),
  ]);
  return (predicted - made) / decisions;
}

async function main(): Promise<number> {
  const rules = Number(benchOption("rules", "50"));
  const decisions = Number(benchOption("decisions", "300000"));
  if (!Number.isInteger(rules) || rules < 8 || !Number.isInteger(decisions) || decisions < 1000) {
    process.stderr.write("bench:oracle:instructions: --rules must be an integer ≥ 8 and --decisions an integer ≥ 1000\n");
    return 2;
  }
  const probe = await execa("valgrind", ["--version"], { reject: false });
  if (probe.failed) {
    process.stderr.write("bench:oracle:instructions: valgrind not found on PATH: install it (Debian: apt-get install valgrind)\n");
    return 2;
  }
  const dir = makeTempDir("oracle-instructions");
  let cold: number;
  let warm: number;
  let fresh: number;
  try {
    const workload = await bundleWorkload(dir.path);
    cold = await perDecision(workload, rules, "cold", decisions);
    warm = await perDecision(workload, rules, "warm", decisions);
    fresh = await freshPerDecision(workload, rules, decisions);
  } finally {
    await dir.remove();
  }
  const fmt = (n: number): string => Math.round(n).toLocaleString("en");
  console.log(`oracle-instructions: gate on, v1.37.2, ${rules} rules, ${probe.stdout.trim()}, Node ${process.version} --single-threaded, fixed seeds, esbuild bundle; per decision over ${fmt(decisions)} decisions after the warm-up`);
  console.log(`| rules | cold instructions/decision | warm instructions/decision | fresh instructions/decision |`);
  console.log(`|-------|----------------------------|----------------------------|-----------------------------|`);
  console.log(`| ${String(rules).padStart(5)} | ${fmt(cold).padStart(26)} | ${fmt(warm).padStart(26)} | ${fmt(fresh).padStart(27)} |`);
  console.log(`fresh = cold's mix with probes made just before they are predicted, as a runner's are (bench-world.ts freshProbes)`);
  return 0;
}

// Ctrl-C or SIGTERM: exit, so the temp dir's exit hook removes it and execa stops the valgrind runs.
for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) process.once(signal, () => process.exit(code));

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:oracle:instructions: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
