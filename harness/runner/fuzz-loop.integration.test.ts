import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LocalProvider } from "../cluster/local/local-provider.ts";
import { fuzzCaseArb, instantiateCase } from "../generate/index.ts";
import { exportScenario } from "../record/index.ts";
import { parseScenarios } from "../scenario/index.ts";
import { systemClock } from "../core/index.ts";
import { TEST_KUBE_VERSION } from "../testing/test-cluster.ts";
import { ClusterPool } from "./cluster-pool.ts";
import { runFuzz } from "./fuzz.ts";
import { replayRecords } from "./replay.ts";
import { runScenario } from "./scenario-runner.ts";
import { identityFirstOracle } from "./wrong-oracle.ts";
import { createOracle } from "../oracle/index.ts";

/**
 * The loop can fail: with an oracle that orders identity checks before impersonate-on (the KEP
 * prose's order, which the code does not follow), a short run must report divergences, shrink one
 * against the server, and the record must replay and export into a scenario that reproduces it.
 */
const reportsDir = mkdtempSync(join(tmpdir(), "impfuzz-test-reports-"));
afterAll(() => rmSync(reportsDir, { recursive: true, force: true }));

describe("fuzz loop against a deliberately wrong oracle", () => {
  it("finds, confirms, shrinks, replays and exports a divergence", async () => {
    const result = await runFuzz(
      { provider: new LocalProvider(), caseArb: fuzzCaseArb(), instantiate: instantiateCase, createOracle: identityFirstOracle },
      {
        cases: 48,
        timeSeconds: 90,
        seed: 20261128,
        version: TEST_KUBE_VERSION,
        gate: true,
        concurrency: 8,
        batchSize: 16,
        reportsDir,
        shrinkSeconds: 25,
        maxShrinks: 1,
      },
    );
    const divergences = result.records.filter((r) => r.kind === "divergence");
    expect(divergences.length).toBeGreaterThan(0);
    const rec = divergences[0]!;
    expect(rec.comparison.classification).toMatch(/^checks: /);
    expect(rec.comparison.firstCheckDiff?.observed?.verb).toMatch(/^impersonate-on:/);
    // Shrinking against the server: every probe diverges on its own, so one probe is left, and its
    // world is no larger than the original.
    process.stderr.write(`shrunk from ${rec.originalSize!.objects} objects/${rec.originalSize!.probes} probes to ${rec.case.objects.length}/${rec.case.probes.length}\n`);
    expect(rec.case.probes).toHaveLength(1);
    expect(rec.case.objects.length).toBeLessThanOrEqual(rec.originalSize!.objects);

    // Replay on a fresh cluster: still diverges under the wrong oracle, not under the right one.
    const [wrong] = await replayRecords({ provider: new LocalProvider(), createOracle: identityFirstOracle }, [rec]);
    expect(wrong!.still?.comparison.classification).toBe(rec.comparison.classification);
    const [right] = await replayRecords({ provider: new LocalProvider(), createOracle }, [rec]);
    expect(right!.still).toBeUndefined();

    // Export: a valid scenario whose file expectations hold and whose oracle comparison fails.
    const yaml = exportScenario(rec, "exported-finding");
    const [loaded] = parseScenarios(yaml, "exported-finding.yaml");
    const pool = new ClusterPool(new LocalProvider(), { version: TEST_KUBE_VERSION });
    try {
      const ctx = { clusterFor: (g: boolean) => pool.clusterFor(g), baseWorldFor: pool.baseWorldFor.bind(pool), version: TEST_KUBE_VERSION, clock: systemClock };
      const underWrong = await runScenario({ ...ctx, createOracle: identityFirstOracle }, loaded!);
      const failures = underWrong.steps.flatMap((s) => s.failures);
      expect(failures.filter((f) => f.against === "expect")).toEqual([]);
      expect(failures.some((f) => f.against === "oracle" && f.field === "checks")).toBe(true);
      const underRight = await runScenario({ ...ctx, createOracle }, loaded!);
      expect(underRight.passed).toBe(true);
    } finally {
      await pool.stopAll();
    }
  }, 600_000);
});
