import { applyObjects, deleteObjects, extendWorld, rbacBarrier } from "../apply/index.ts";
import type { StartedCluster } from "../cluster/provider.ts";
import { compare } from "../compare/index.ts";
import { asAuthenticated, type CaseProbe, type Comparison, type FuzzCase, type Prediction, type World } from "../core/index.ts";
import { finishProbe, type Observation, sendProbe } from "../observe/index.ts";
import type { KeyedLimiter } from "./keyed-limiter.ts";
import { probeKeys } from "./probe-keys.ts";

/** What the runner needs of the oracle: one prediction per request, state kept inside. */
export interface PredictingOracle {
  predict(world: World, requestor: CaseProbe["requestor"], request: CaseProbe["request"]): Prediction;
}

export interface BatchContext {
  readonly cluster: StartedCluster;
  readonly oracle: PredictingOracle;
  /** What the cluster held before any case: bootstrap policy and anything else already there. */
  readonly baseWorld: World;
  readonly limiter: KeyedLimiter;
  readonly signal?: AbortSignal;
  /** Accumulates milliseconds per phase, for `npm run bench` and run summaries. */
  readonly timings?: BatchTimings;
}

export interface BatchTimings {
  apply: number;
  barrier: number;
  probe: number;
  delete: number;
}

export function emptyTimings(): BatchTimings {
  return { apply: 0, barrier: 0, probe: 0, delete: 0 };
}

async function timed<T>(t: BatchTimings | undefined, phase: keyof BatchTimings, f: () => Promise<T>): Promise<T> {
  const s = performance.now();
  try {
    return await f();
  } finally {
    if (t) t[phase] += performance.now() - s;
  }
}

export interface ProbeResult {
  readonly caseIndex: number;
  readonly probeIndex: number;
  readonly probe: CaseProbe;
  readonly prediction: Prediction;
  readonly observation: Observation;
  readonly comparison: Comparison;
}

/**
 * One batch, as cedar-spec does for Cedar: apply many small worlds at once, wait once until RBAC has
 * them all, probe everything concurrently, then remove the worlds. The oracle evaluates the same union
 * of objects the server holds, so a case binding a shared group is predicted correctly too.
 */
export async function executeBatch(ctx: BatchContext, cases: readonly FuzzCase[]): Promise<ProbeResult[]> {
  const objects = cases.flatMap((c) => c.objects);
  const t = ctx.timings;
  await timed(t, "apply", () => applyObjects(ctx.cluster, objects));
  try {
    await timed(t, "barrier", () => rbacBarrier(ctx.cluster));
    const world = extendWorld(ctx.baseWorld, objects);
    const mark = ctx.cluster.recorder?.mark() ?? 0;
    const jobs: Promise<ProbeResult>[] = [];
    cases.forEach((c, caseIndex) =>
      c.probes.forEach((probe, probeIndex) =>
        jobs.push(
          (async () => {
            // Only the request itself needs exclusive use of its usernames; the audit lookup, oracle
            // and comparison run outside the limiter so they never hold a slot.
            const sent = await ctx.limiter.run(probeKeys(probe), async () => {
              ctx.signal?.throwIfAborted();
              return sendProbe(ctx.cluster, probe);
            });
            const prediction = ctx.oracle.predict(world, asAuthenticated(probe.requestor), probe.request);
            const observation = await finishProbe(ctx.cluster, sent);
            const comparison = compare(prediction, observation, ctx.cluster.capabilities);
            return { caseIndex, probeIndex, probe, prediction, observation, comparison };
          })(),
        ),
      ),
    );
    const results = await timed(t, "probe", () => Promise.all(jobs));
    ctx.cluster.recorder?.discardBefore(Math.max(mark, ctx.cluster.recorder.mark()));
    return results;
  } finally {
    await timed(t, "delete", () =>
      deleteObjects(
        ctx.cluster,
        objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })),
      ),
    );
  }
}
