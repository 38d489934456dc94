import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { LocalProvider } from "../cluster/local/local-provider.ts";
import { systemClock } from "../core/index.ts";
import { createOracle } from "../oracle/index.ts";
import { ClusterPool } from "../runner/cluster-pool.ts";
import { runScenario } from "../runner/scenario-runner.ts";
import { isolateScenario, loadScenarios } from "../scenario/index.ts";
import { TEST_KUBE_VERSION } from "../testing/test-cluster.ts";
import { reproScript } from "./repro-script.ts";

/**
 * A repro script, run with bash against the local cluster (kubectl + curl, tokens from the cluster's
 * mint endpoint), gives the same status code and message per request as the scenario runner.
 */
const FILES = [
  "scenarios/kep/deputy-controller-acts-for-users.yaml",
  "scenarios/spec-questions/01-check-order.yaml",
  "scenarios/spec-questions/06-node-or-sa-with-groups-is-legacy-only.yaml",
  "scenarios/upstream/constrained/impersonating-user-get-allowed-create-disallowed.yaml",
  "scenarios/upstream/legacy/allowed-userextras.yaml",
];
const pool = new ClusterPool(new LocalProvider(), { version: TEST_KUBE_VERSION });
afterAll(() => pool.stopAll());

// Asynchronous on purpose: the mint endpoint the script calls is served by this very process.
async function runScript(script: string, env: NodeJS.ProcessEnv): Promise<{ step: number; code: number; message: string }[]> {
  const { stdout } = await promisify(execFile)("bash", ["-c", script], { env: { ...process.env, ...env }, encoding: "utf8", timeout: 120_000 });
  return stdout
    .split("\n")
    .map((l) => /^STEP (\d+) CODE (\d+) MESSAGE "(.*)"$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), code: Number(m[2]), message: JSON.parse(`"${m[3]}"`) as string }));
}

describe("repro scripts", async () => {
  const loaded = await loadScenarios(FILES);
  for (const l of loaded) {
    it(`${l.scenario.metadata.name} gives what the runner gives`, async () => {
      const ctx = { clusterFor: (g: boolean) => pool.clusterFor(g), baseWorldFor: pool.baseWorldFor.bind(pool), createOracle, version: TEST_KUBE_VERSION, clock: systemClock };
      const runner = await runScenario(ctx, l);
      expect(runner.error).toBeUndefined();
      expect(runner.passed, JSON.stringify(runner.steps.flatMap((s) => s.failures))).toBe(true);
      const cluster = await pool.clusterFor(l.scenario.spec.gate);
      const { script, token } = reproScript(l);
      const iso = isolateScenario(l.scenario, { token });
      const fromScript = await runScript(script, { KUBECONFIG: cluster.adminKubeconfigPath, IMPFUZZ_MINT_URL: cluster.mintEndpoint });
      const fromRunner = runner.steps.filter((s) => s.code !== undefined).map((s) => ({ step: s.step, code: s.code!, message: s.message ?? "" }));
      expect(fromScript.map((s) => ({ ...s, message: iso.restore(s.message) }))).toEqual(
        // The runner keeps a handler's message only when it is a Status; the script prints "" otherwise.
        fromRunner.map((s) => ({ ...s, message: s.message })),
      );
    });
  }
});
