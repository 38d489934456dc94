import { relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ClusterProvider } from "../cluster/provider.ts";
import { systemClock } from "../core/index.ts";
import { createOracle } from "../oracle/index.ts";
import { ClusterPool } from "../runner/cluster-pool.ts";
import { runScenario } from "../runner/scenario-runner.ts";
import { loadScenarios } from "../scenario/index.ts";
import { TEST_KUBE_VERSION } from "./test-cluster.ts";

/**
 * The conformance catalogue as tests: one named test per scenario, against one real apiserver per
 * gate value (started by `provider`) and the oracle. A step fails when the server differs from the
 * file's `expect` or from the oracle; the failure message says which. Every provider runs the same
 * files with the same expectations, so passing here means giving the same results.
 */
export async function scenarioCatalogueSuite(provider: ClusterProvider): Promise<void> {
  const catalogue = await loadScenarios(["scenarios"]);
  const pool = new ClusterPool(provider, { version: TEST_KUBE_VERSION });

  afterAll(async () => {
    await pool.stopAll();
  });

  describe(`scenario catalogue on kube-apiserver ${TEST_KUBE_VERSION} (${provider.name} provider)`, () => {
    for (const loaded of catalogue) {
      it(`${relative("scenarios", loaded.file)}: ${loaded.scenario.metadata.name}`, async () => {
        const r = await runScenario(
          { clusterFor: (g) => pool.clusterFor(g), baseWorldFor: (c) => pool.baseWorldFor(c), createOracle, version: TEST_KUBE_VERSION, clock: systemClock },
          loaded,
        );
        const failures = r.steps.flatMap((s) =>
          s.failures.map((f) => `step ${s.step} "${s.name}": ${f.against === "expect" ? "file" : "oracle"} ${f.field} ${JSON.stringify(f.expected)} but server ${JSON.stringify(f.observed)}`),
        );
        expect(r.error, r.error).toBeUndefined();
        expect(failures).toEqual([]);
      });
    }
  });
}
