import { join, resolve } from "node:path";
import { type JournalRecord, parseKubeVersion, type RunSummary } from "../../core/index.ts";
import { createOracle } from "../../oracle/index.ts";
import { latestLink, writeReports } from "../../report/index.ts";
import { replayRecords } from "../../runner/replay.ts";
import { makeRunId } from "../../runner/run-id.ts";
import { providerByName } from "../providers.ts";
import { readRecords } from "../record-source.ts";

/** Exit 1 while any record still diverges (the bug is there), 0 when none does any more. */
export async function replayCommand(o: { source: string; index: number | undefined; provider: string; reportsDir: string; signal: AbortSignal }): Promise<number> {
  const records = await readRecords(o.source, o.index);
  const provider = providerByName(o.provider);
  for (const v of new Set(records.map((r) => r.kubeVersion))) await provider.preflight?.({ version: parseKubeVersion(v) });
  const started = new Date();
  const outcomes = await replayRecords({ provider, createOracle }, records, o.signal);
  outcomes.forEach(({ record, still }, i) =>
    process.stdout.write(`record ${i} (${record.kind}, ${record.comparison.classification}): ${still ? `reproduced: ${still.comparison.classification}` : "no divergence now"}\n`),
  );
  const still = outcomes.map((x) => x.still).filter((r): r is JournalRecord => r !== undefined);
  const reportsDir = resolve(o.reportsDir);
  const runId = `${makeRunId(undefined, started)}-replay`;
  const finished = new Date();
  const first = records[0]!;
  const summary: RunSummary = {
    runId,
    command: "replay",
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: (finished.getTime() - started.getTime()) / 1000,
    seed: first.seed,
    provider: o.provider,
    kubeVersion: first.kubeVersion,
    serverVersion: outcomes[0]?.serverVersion ?? "",
    gate: first.gate,
    versions: { impfuzz: "0.1.0", node: process.version },
    cases: records.length,
    probes: records.length,
    probesPerSecond: 0,
    divergences: still.length,
    divergencesByClass: still.reduce<Record<string, number>>((m, r) => ({ ...m, [r.comparison.classification]: (m[r.comparison.classification] ?? 0) + 1 }), {}),
    flakes: 0,
    indeterminates: {},
    coverage: { cells: {}, unreached: [] },
  };
  const runDir = join(reportsDir, runId);
  const files = await writeReports(runDir, summary, still);
  await latestLink(reportsDir, runDir);
  process.stdout.write(`${still.length} of ${records.length} records still diverge; report: ${files.markdown}\n`);
  return still.length > 0 ? 1 : 0;
}
