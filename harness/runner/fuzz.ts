import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { readWorld } from "../apply/index.ts";
import type { StartedCluster } from "../cluster/provider.ts";
import {
  type FuzzCase,
  type JournalRecord,
  type KubeVersion,
  type RunSummary,
  systemClock,
} from "../core/index.ts";
import { CoverageCounter } from "./coverage.ts";
import { type BatchContext, executeBatch, type ProbeResult } from "./execute-batch.ts";
import type { FuzzDeps } from "./fuzz-deps.ts";
import { KeyedLimiter } from "./keyed-limiter.ts";
import { observedResult } from "./observed-result.ts";
import { predictedResult } from "./predicted-result.ts";
import { makeRunId, PrefixSource } from "./run-id.ts";

export interface FuzzOptions {
  readonly cases: number;
  readonly timeSeconds: number;
  readonly seed: number;
  readonly version: KubeVersion;
  readonly versionExplicit?: boolean;
  readonly gate: boolean;
  readonly concurrency: number;
  /** Cases applied and probed together. */
  readonly batchSize: number;
  readonly reportsDir: string;
  /** Defaults to one made from the seed and the start time. */
  readonly runId?: string;
  /** Time budget for shrinking one divergence against the server. */
  readonly shrinkSeconds: number;
  /** Distinct divergence classes shrunk per run; further ones are recorded unshrunk. */
  readonly maxShrinks: number;
  readonly onProgress?: (p: FuzzProgress) => void;
  readonly onRecord?: (r: JournalRecord) => Promise<void>;
  readonly signal?: AbortSignal;
}

export interface FuzzProgress {
  readonly phase: "starting" | "probing" | "shrinking" | "done";
  readonly cases: number;
  readonly totalCases: number;
  readonly probes: number;
  readonly divergences: number;
  readonly flakes: number;
  readonly probesPerSecond: number;
}

export interface FuzzResult {
  readonly runId: string;
  readonly runDir: string;
  readonly summary: RunSummary;
  readonly records: readonly JournalRecord[];
}

/**
 * The main job: generate cases from a seed, run them in batches against a real apiserver and the
 * oracle, confirm each divergence on fresh requestors (else it is a flake, kept apart), shrink it
 * against the server with fast-check's shrinker, and journal it as found.
 *
 * Cases come from `fc.sample(arb, {seed})`, whose i-th value is the one `fc.check` replays for
 * `{seed, path: "i"}`; so a record's seed and path regenerate its case, and shrinking starts from it.
 */
export async function runFuzz<T>(deps: FuzzDeps<T>, opts: FuzzOptions): Promise<FuzzResult> {
  const started = new Date();
  const t0 = performance.now();
  const runId = opts.runId ?? makeRunId(opts.seed, started);
  const runDir = join(opts.reportsDir, runId);
  const prefixes = new PrefixSource(opts.seed);
  const coverage = new CoverageCounter();
  const indeterminates = new Map<string, number>();
  const records: JournalRecord[] = [];
  const byClass = new Map<string, number>();
  const shrunkClasses = new Set<string>();
  let probes = 0;
  let casesRun = 0;
  let flakes = 0;
  let aborted: string | undefined;
  const progress = (phase: FuzzProgress["phase"]) =>
    opts.onProgress?.({
      phase,
      cases: casesRun,
      totalCases: opts.cases,
      probes,
      divergences: records.length - flakes,
      flakes,
      probesPerSecond: probes / Math.max((performance.now() - t0) / 1000, 1e-3),
    });
  progress("starting");

  const cluster = await deps.provider.start({ version: opts.version, versionExplicit: opts.versionExplicit, gate: opts.gate }, opts.signal);
  // Only now: a run that cannot start its cluster leaves no half-written run folder behind.
  await mkdir(runDir, { recursive: true });
  let probeSeconds = 0;
  let probeStart: number | undefined;
  try {
    const ctx: BatchContext = {
      cluster,
      oracle: deps.createOracle({ gate: opts.gate, version: opts.version, clock: systemClock }),
      baseWorld: await readWorld(cluster),
      limiter: new KeyedLimiter(opts.concurrency),
      signal: opts.signal,
    };
    const templates = fc.sample(deps.caseArb, { seed: opts.seed, numRuns: opts.cases });
    const deadline = t0 + opts.timeSeconds * 1000;
    probeStart = performance.now();
    for (let i = 0; i < templates.length; i += opts.batchSize) {
      if (opts.signal?.aborted) {
        aborted = "interrupted";
        break;
      }
      if (performance.now() > deadline) break;
      const batch = templates.slice(i, i + opts.batchSize).map((t, j) => ({ index: i + j, template: t }));
      const results = await executeBatch(ctx, batch.map((b) => deps.instantiate(b.template, prefixes.next())));
      casesRun += batch.length;
      probes += results.length;
      for (const r of results) {
        coverage.add(r.prediction);
        for (const s of r.comparison.skipped) {
          const k = `${s.field}: ${s.reason}`;
          indeterminates.set(k, (indeterminates.get(k) ?? 0) + 1);
        }
      }
      // One record per diverging case: its first diverging probe.
      const firstPerCase = new Map<number, ProbeResult>();
      for (const r of results) if (r.comparison.diffs.length && !firstPerCase.has(r.caseIndex)) firstPerCase.set(r.caseIndex, r);
      progress("probing");
      for (const [caseIndex, r] of firstPerCase) {
        const { index, template } = batch[caseIndex]!;
        const record = await confirmAndShrink(deps, ctx, opts, prefixes, shrunkClasses, runId, index, template, r);
        if (record.kind === "flake") flakes++;
        else byClass.set(record.comparison.classification, (byClass.get(record.comparison.classification) ?? 0) + 1);
        records.push(record);
        await opts.onRecord?.(record);
        progress("probing");
      }
    }
  } catch (e) {
    if (opts.signal?.aborted) aborted = "interrupted";
    else throw e;
  } finally {
    if (probeStart !== undefined) probeSeconds = (performance.now() - probeStart) / 1000;
    await cluster.stop();
  }
  progress("done");
  const finished = new Date();
  const summary: RunSummary = {
    runId,
    command: "run",
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    wallSeconds: (performance.now() - t0) / 1000,
    seed: opts.seed,
    provider: deps.provider.name,
    kubeVersion: opts.version,
    serverVersion: cluster.serverVersion,
    gate: opts.gate,
    versions: { impfuzz: "0.1.0", node: process.version },
    cases: casesRun,
    probes,
    probesPerSecond: probeSeconds > 0 ? probes / probeSeconds : 0,
    divergences: records.length - flakes,
    divergencesByClass: Object.fromEntries(byClass),
    flakes,
    indeterminates: Object.fromEntries(indeterminates),
    coverage: { cells: coverage.toJSON(), unreached: coverage.unreached() },
    ...(aborted ? { aborted } : {}),
  };
  return { runId, runDir, summary, records };
}

/** Runs one case alone on fresh names and returns its diverging probe results. */
async function runAlone(ctx: BatchContext, c: FuzzCase, probeIndex?: number): Promise<ProbeResult[]> {
  const only = probeIndex === undefined ? c : { ...c, probes: [c.probes[probeIndex]!] };
  return (await executeBatch(ctx, [only])).filter((r) => r.comparison.diffs.length > 0);
}

async function confirmAndShrink<T>(
  deps: FuzzDeps<T>,
  ctx: BatchContext,
  opts: FuzzOptions,
  prefixes: PrefixSource,
  shrunkClasses: Set<string>,
  runId: string,
  index: number,
  template: T,
  first: ProbeResult,
): Promise<JournalRecord> {
  const cls = first.comparison.classification;
  const base = {
    runId,
    recordedAt: new Date().toISOString(),
    kubeVersion: opts.version,
    gate: opts.gate,
    seed: opts.seed,
  };
  // Replay the diverging probe once, alone, on fresh requestor names.
  const fresh = deps.instantiate(template, prefixes.next());
  const again = await runAlone(ctx, fresh, first.probeIndex);
  if (!again.some((r) => r.comparison.classification === cls)) {
    return {
      ...base,
      kind: "flake",
      path: String(index),
      case: deps.instantiate(template, prefixes.next()),
      probeIndex: first.probeIndex,
      probe: first.probe,
      predicted: predictedResult(first.prediction),
      observed: observedResult(first.observation),
      comparison: first.comparison,
      replay: again[0] ? observedResult(again[0].observation) : observedResult(first.observation),
    };
  }
  let finalTemplate = template;
  let path = String(index);
  if (!shrunkClasses.has(cls) && shrunkClasses.size < opts.maxShrinks) {
    shrunkClasses.add(cls);
    opts.onProgress?.({ phase: "shrinking", cases: 0, totalCases: opts.cases, probes: 0, divergences: 0, flakes: 0, probesPerSecond: 0 });
    const details = await fc.check(
      fc.asyncProperty(deps.caseArb, async (t) => {
        const rs = await runAlone(ctx, deps.instantiate(t, prefixes.next()));
        return !rs.some((r) => r.comparison.classification === cls);
      }),
      { seed: opts.seed, path: String(index), interruptAfterTimeLimit: opts.shrinkSeconds * 1000, markInterruptAsFailure: false },
    );
    if (details.failed && details.counterexample) {
      finalTemplate = details.counterexample[0];
      path = details.counterexamplePath ?? path;
    }
  }
  const shrunk = deps.instantiate(finalTemplate, prefixes.next());
  const rs = await runAlone(ctx, shrunk);
  const shrunkHit = rs.find((r) => r.comparison.classification === cls);
  // If the shrunk case no longer shows it on this run, keep the confirmed unshrunk evidence.
  const confirmed = again.find((r) => r.comparison.classification === cls)!;
  const [recordCase, hit, probeIndex] = shrunkHit
    ? [shrunk, shrunkHit, shrunkHit.probeIndex]
    : [fresh, confirmed, first.probeIndex];
  const original = deps.instantiate(template, "");
  return {
    ...base,
    kind: "divergence",
    path: shrunkHit ? path : String(index),
    case: recordCase,
    probeIndex,
    probe: hit.probe,
    predicted: predictedResult(hit.prediction),
    observed: observedResult(hit.observation),
    comparison: hit.comparison,
    originalSize: { objects: original.objects.length, probes: original.probes.length },
  };
}

export type { StartedCluster };
