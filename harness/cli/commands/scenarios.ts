import { resolve, relative } from "node:path";
import { type KubeVersion, type RunSummary, type ScenarioResult, systemClock } from "../../core/index.ts";
import { createOracle } from "../../oracle/index.ts";
import { writeFileAtomic } from "../../report/index.ts";
import { renderJunit } from "../../report/index.ts";
import { ClusterPool } from "../../runner/cluster-pool.ts";
import { runScenario } from "../../runner/scenario-runner.ts";
import { loadScenarios } from "../../scenario/index.ts";
import { providerByName } from "../providers.ts";

export interface ScenariosOptions {
  readonly paths: readonly string[];
  readonly version: KubeVersion;
  readonly versionExplicit: boolean;
  readonly provider: string;
  readonly junit: string | undefined;
  readonly signal: AbortSignal;
}

function cell(x: unknown): string {
  return typeof x === "string" ? x : JSON.stringify(x);
}

/**
 * Runs scenario files against a provider and the oracle. Every file is loaded and validated before
 * any cluster starts, so an invalid file exits 2 having applied nothing.
 */
export async function scenariosCommand(o: ScenariosOptions): Promise<number> {
  const loaded = await loadScenarios(o.paths.length ? [...o.paths] : ["scenarios"]);
  const provider = providerByName(o.provider);
  await provider.preflight?.({ version: o.version });
  const pool = new ClusterPool(provider, { version: o.version, versionExplicit: o.versionExplicit }, o.signal);
  const started = new Date();
  const results: ScenarioResult[] = [];
  try {
    for (const l of loaded) {
      if (o.signal.aborted) break;
      const r = await runScenario(
        {
          clusterFor: (gate) => pool.clusterFor(gate),
          baseWorldFor: (c) => pool.baseWorldFor(c),
          createOracle,
          version: o.version,
          clock: systemClock,
        },
        l,
      );
      results.push(r);
      const where = relative(process.cwd(), l.file);
      const head = r.skipped ? "SKIP" : r.passed ? "PASS" : "FAIL";
      process.stdout.write(`${head} ${r.name} (${where}) ${r.seconds.toFixed(1)}s${r.skipped ? `: ${r.skipped}` : ""}${r.error ? `: error: ${r.error}` : ""}\n`);
      for (const st of r.steps) {
        const result = st.code === undefined ? "" : `${st.code} ${st.outcome ?? ""}`;
        process.stdout.write(`  ${st.passed ? "ok  " : "FAIL"} ${String(st.step).padStart(2)}  ${st.name.padEnd(48).slice(0, 48)}  ${result.padEnd(26)} ${st.seconds.toFixed(2)}s\n`);
        for (const f of st.failures) {
          process.stdout.write(`       ${f.against === "expect" ? "file expects" : "oracle predicts"} ${f.field}: ${cell(f.expected)}\n       server gave   ${f.field}: ${cell(f.observed)}\n`);
        }
      }
    }
  } finally {
    await pool.stopAll();
  }
  const failed = results.filter((r) => !r.passed).length;
  const skipped = results.filter((r) => r.skipped).length;
  process.stdout.write(`\n${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped\n`);
  if (o.junit) {
    const finished = new Date();
    const summary: RunSummary = {
      runId: `scenarios-${started.toISOString()}`,
      command: "scenarios",
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      wallSeconds: (finished.getTime() - started.getTime()) / 1000,
      seed: undefined,
      provider: provider.name,
      kubeVersion: o.version,
      serverVersion: `v${o.version}`,
      gate: true,
      versions: { impfuzz: "0.1.0", node: process.version },
      cases: results.length,
      probes: results.reduce((n, r) => n + r.steps.length, 0),
      probesPerSecond: 0,
      divergences: failed,
      divergencesByClass: {},
      flakes: 0,
      indeterminates: {},
      coverage: { cells: {}, unreached: [] },
      scenarios: results,
    };
    await writeFileAtomic(resolve(o.junit), renderJunit(summary, []));
  }
  if (o.signal.aborted) return 130;
  return failed > 0 ? 1 : 0;
}
