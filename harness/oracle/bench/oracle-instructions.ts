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
 * Needs valgrind (Debian: `apt-get install valgrind`); takes about five minutes (two runs at a time).
 */
import { fileURLToPath } from "node:url";
import { execa } from "execa";
import { benchOption } from "./bench-world.ts";

const WORKLOAD = fileURLToPath(new URL("./instruction-workload.ts", import.meta.url));

/** Instructions valgrind counted for the workload with `decisions` extra decisions. */
async function instructions(rules: number, kind: string, decisions: number): Promise<number> {
  const r = await execa(
    "valgrind",
    [
      "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
      process.execPath, "--single-threaded", "--expose-gc", "--hash-seed=5284", "--random-seed=5284", "--import", "tsx", WORKLOAD,
      "--rules", String(rules), "--kind", kind, "--decisions", String(decisions),
    ],
    { reject: false, all: true },
  );
  const m = /I\s+refs:\s+([\d,]+)/.exec(r.all ?? "");
  if (r.exitCode !== 0 || !m) throw new Error(`valgrind run failed (exit ${r.exitCode}): ${(r.all ?? "").trim().split("\n").slice(-3).join(" | ")}`);
  return Number(m[1]!.replaceAll(",", ""));
}

async function perDecision(rules: number, kind: string, decisions: number): Promise<number> {
  const [base, more] = await Promise.all([instructions(rules, kind, 0), instructions(rules, kind, decisions)]);
  return (more - base) / decisions;
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
  const cold = await perDecision(rules, "cold", decisions);
  const warm = await perDecision(rules, "warm", decisions);
  const fmt = (n: number): string => Math.round(n).toLocaleString("en");
  console.log(`oracle-instructions: gate on, v1.37.2, ${rules} rules, ${probe.stdout.trim()}, Node ${process.version} --single-threaded, fixed seeds; per decision over ${fmt(decisions)} decisions after the warm-up`);
  console.log(`| rules | cold instructions/decision | warm instructions/decision |`);
  console.log(`|-------|----------------------------|----------------------------|`);
  console.log(`| ${String(rules).padStart(5)} | ${fmt(cold).padStart(26)} | ${fmt(warm).padStart(26)} |`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench:oracle:instructions: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
