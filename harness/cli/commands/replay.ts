import { join, resolve } from "node:path";
import { compare } from "../../compare/index.ts";
import { type JournalRecord, parseKubeVersion, type RunSummary, systemClock } from "../../core/index.ts";
import { createOracle } from "../../oracle/index.ts";
import { latestLink, writeReports } from "../../report/index.ts";
import { ClusterPool } from "../../runner/cluster-pool.ts";
import { executeBatch } from "../../runner/execute-batch.ts";
import { KeyedLimiter } from "../../runner/keyed-limiter.ts";
import { observedResult } from "../../runner/observed-result.ts";
import { makeRunId } from "../../runner/run-id.ts";
import { readRecords } from "../record-source.ts";
import { providerByName } from "../providers.ts";

/**
 * Re-runs journal records against a fresh cluster of the record's version and gate, and the oracle.
 * Exit 1 while any record still diverges (the bug is there), 0 when none does any more.
 */
export async function replayCommand(o: { source: string; index: number | undefined; provider: string; reportsDir: string; signal: AbortSignal }): Promise<number> {
  const records = await readRecords(o.source, o.index);
  const version = parseKubeVersion(records[0]!.kubeVersion);
  const pool = new ClusterPool(providerByName(o.provider), { version }, o.signal);
  const started = new Date();
  const still: JournalRecord[] = [];
  let serverVersion = "";
  try {
    for (const [i, rec] of records.entries()) {
      const cluster = await pool.clusterFor(rec.gate);
      serverVersion = cluster.serverVersion;
      const ctx = {
        cluster,
        oracle: createOracle({ gate: rec.gate, version, clock: systemClock }),
        baseWorld: await pool.baseWorldFor(cluster),
        limiter: new KeyedLimiter(1),
        signal: o.signal,
      };
      const single = { ...rec.case, probes: [rec.case.probes[rec.probeIndex] ?? rec.probe] };
      const [r] = await executeBatch(ctx, [single]);
      const c = compare(r!.prediction, r!.observation, cluster.capabilities);
      const diverges = c.diffs.length > 0;
      process.stdout.write(`record ${i} (${rec.kind}, ${rec.comparison.classification}): ${diverges ? `reproduced: ${c.classification}` : "no divergence now"}\n`);
      if (diverges) {
        still.push({ ...rec, recordedAt: new Date().toISOString(), predicted: r!.prediction, observed: observedResult(r!.observation), comparison: c });
      }
    }
  } finally {
    await pool.stopAll();
  }
  const reportsDir = resolve(o.reportsDir);
  const runId = `${makeRunId(undefined, started)}-replay`;
  const finished = new Date();
  const summary: RunSummary = {
    runId,
    command: "replay",
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: (finished.getTime() - started.getTime()) / 1000,
    seed: records[0]!.seed,
    provider: o.provider,
    kubeVersion: version,
    serverVersion,
    gate: records[0]!.gate,
    versions: { impfuzz: "0.1.0", node: process.version },
    cases: records.length,
    probes: records.length,
    probesPerSecond: 0,
    divergences: still.length,
    divergencesByClass: Object.fromEntries(still.map((r) => [r.comparison.classification, 1])),
    flakes: 0,
    indeterminates: {},
    coverage: { cells: {}, unreached: [] },
  };
  const files = await writeReports(join(reportsDir, runId), summary, still);
  await latestLink(reportsDir, join(reportsDir, runId));
  process.stdout.write(`${still.length} of ${records.length} records still diverge; report: ${files.markdown}\n`);
  return still.length > 0 ? 1 : 0;
}
