import { join, resolve } from "node:path";
import type { KubeVersion } from "../../core/index.ts";
import { fuzzCaseArb, instantiateCase } from "../../generate/index.ts";
import { createOracle } from "../../oracle/index.ts";
import { openJournal } from "../../record/index.ts";
import { latestLink, writeReports } from "../../report/index.ts";
import { runFuzz } from "../../runner/fuzz.ts";
import { makeRunId } from "../../runner/run-id.ts";
import { fuzzProgressReporter } from "../fuzz-progress.ts";
import { providerByName } from "../providers.ts";

export interface RunOptions {
  readonly version: KubeVersion;
  readonly versionExplicit: boolean;
  readonly gate: boolean;
  readonly cases: number;
  readonly timeSeconds: number;
  readonly seed: number;
  readonly concurrency: number;
  readonly batchSize: number;
  readonly shrinkSeconds: number;
  readonly maxShrinks: number;
  readonly reportsDir: string;
  readonly provider: string;
  readonly json: boolean;
  readonly signal: AbortSignal;
}

/** Exit 0: no divergence; 1: divergences found; 2: the harness failed (thrown, mapped in main). */
export async function runCommand(o: RunOptions): Promise<number> {
  const provider = providerByName(o.provider);
  // Before the run folder is made: a missing engine or image is exit 2 with nothing written.
  await provider.preflight?.({ version: o.version });
  const reportsDir = resolve(o.reportsDir);
  const runId = makeRunId(o.seed);
  const runDir = join(reportsDir, runId);
  let journal: Awaited<ReturnType<typeof openJournal>> | undefined;
  const result = await runFuzz(
    { provider, caseArb: fuzzCaseArb(), instantiate: instantiateCase, createOracle },
    {
      ...o,
      runId,
      reportsDir,
      onProgress: fuzzProgressReporter(!o.json),
      onRecord: async (r) => {
        journal ??= await openJournal(join(runDir, "divergences.jsonl"));
        await journal.append(r);
      },
    },
  );
  await journal?.close();
  const files = await writeReports(result.runDir, result.summary, result.records);
  await latestLink(reportsDir, result.runDir);
  const s = result.summary;
  if (o.json) {
    process.stdout.write(`${JSON.stringify(s)}\n`);
  } else {
    process.stdout.write(
      [
        `impfuzz run ${s.runId}: kube-apiserver ${s.serverVersion}, gate ${s.gate ? "on" : "off"}, seed ${s.seed}`,
        `  ${s.cases} cases, ${s.probes} probes in ${s.wallSeconds.toFixed(1)} s (${s.probesPerSecond.toFixed(1)} probes/s)`,
        `  divergences: ${s.divergences}${Object.entries(s.divergencesByClass).map(([k, v]) => `\n    ${v} × ${k}`).join("")}`,
        `  flakes: ${s.flakes}; indeterminate fields: ${Object.values(s.indeterminates).reduce((a, b) => a + b, 0)}`,
        `  coverage (mode × outcome × path), as fc.statistics prints it:`,
        ...coverageLines(s.coverage.cells, s.probes),
        `  reachable cells never hit: ${s.coverage.unreached.length ? s.coverage.unreached.join(", ") : "none"}`,
        ...(s.aborted ? [`  aborted: ${s.aborted}`] : []),
        `  report: ${files.markdown}`,
        ``,
      ].join("\n"),
    );
  }
  if (s.aborted) return 130;
  return s.divergences > 0 ? 1 : 0;
}

function coverageLines(cells: Readonly<Record<string, number>>, total: number): string[] {
  const rows = Object.entries(cells).sort(([, a], [, b]) => b - a);
  const width = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, n]) => `    ${k.padEnd(width, ".")}..${((100 * n) / Math.max(total, 1)).toFixed(2).padStart(6)}% (${n})`);
}
