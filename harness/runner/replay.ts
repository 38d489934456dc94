import type { ClusterProvider } from "../cluster/provider.ts";
import { compare } from "../compare/index.ts";
import { type Clock, type JournalRecord, type KubeVersion, parseKubeVersion, systemClock } from "../core/index.ts";
import { ClusterPool } from "./cluster-pool.ts";
import { executeBatch, type PredictingOracle } from "./execute-batch.ts";
import { KeyedLimiter } from "./keyed-limiter.ts";
import { observedResult } from "./observed-result.ts";
import { predictedResult } from "./predicted-result.ts";

export interface ReplayDeps {
  readonly provider: ClusterProvider;
  readonly createOracle: (config: { gate: boolean; version: KubeVersion; clock: Clock }) => PredictingOracle;
}

export interface ReplayOutcome {
  readonly record: JournalRecord;
  /** The record as re-observed now, when it still diverges; undefined when server and oracle agree. */
  readonly still: JournalRecord | undefined;
  readonly serverVersion: string;
}

/**
 * Re-runs journal records against fresh clusters of the records' version and gate (one per gate) and
 * a fresh oracle per record: the record's world is applied, its diverging probe sent, and compared.
 */
export async function replayRecords(deps: ReplayDeps, records: readonly JournalRecord[], signal?: AbortSignal): Promise<ReplayOutcome[]> {
  if (records.length === 0) return [];
  const version = parseKubeVersion(records[0]!.kubeVersion);
  const pool = new ClusterPool(deps.provider, { version }, signal);
  const out: ReplayOutcome[] = [];
  try {
    for (const rec of records) {
      const cluster = await pool.clusterFor(rec.gate);
      const ctx = {
        cluster,
        oracle: deps.createOracle({ gate: rec.gate, version, clock: systemClock }),
        baseWorld: await pool.baseWorldFor(cluster),
        limiter: new KeyedLimiter(1),
        signal,
      };
      const single = { ...rec.case, probes: [rec.case.probes[rec.probeIndex] ?? rec.probe] };
      const [r] = await executeBatch(ctx, [single]);
      const c = compare(r!.prediction, r!.observation, cluster.capabilities);
      const still =
        c.diffs.length > 0
          ? { ...rec, recordedAt: new Date().toISOString(), predicted: predictedResult(r!.prediction), observed: observedResult(r!.observation), comparison: c }
          : undefined;
      out.push({ record: rec, still, serverVersion: cluster.serverVersion });
    }
  } finally {
    await pool.stopAll();
  }
  return out;
}
