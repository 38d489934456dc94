/**
 * `npm run bench`: the fuzzer's throughput against the raw throughput of the same apiserver.
 *
 * Both halves use one cluster, the same seeded cases, the same batches (applied, barriered, deleted
 * the same way) and the same concurrency. "Full" is the fuzz loop's probe phase: minted requestor,
 * keyed scheduling, recorder attribution, audit lookup, oracle prediction, comparison. "Raw" fires the
 * same impersonated requests with the same tokens minted and nothing else. The ratio full/raw is the
 * harness's overhead (goal ≥ 0.7). Whole-loop rates (apply + barrier + probes + delete) are printed
 * too. Not a test: figures are read here, never asserted.
 */
import fc from "fast-check";
import { applyObjects, deleteObjects, rbacBarrier, readWorld } from "../apply/index.ts";
import { LocalProvider } from "../cluster/local/local-provider.ts";
import type { StartedCluster } from "../cluster/provider.ts";
import { DEFAULT_KUBE_VERSION, type FuzzCase, parseKubeVersion, systemClock } from "../core/index.ts";
import { fuzzCaseArb, instantiateCase } from "../generate/index.ts";
import { createOracle } from "../oracle/index.ts";
import { emptyTimings, executeBatch } from "../runner/execute-batch.ts";
import { KeyedLimiter } from "../runner/keyed-limiter.ts";

const CASES = Number(process.env.IMPFUZZ_BENCH_CASES ?? 320);
const CONCURRENCY = Number(process.env.IMPFUZZ_BENCH_CONCURRENCY ?? 32);
const BATCH = Number(process.env.IMPFUZZ_BENCH_BATCH ?? 32);
const SEED = 5284;

async function rawBatch(cluster: StartedCluster, cases: readonly FuzzCase[], timings: { probe: number; other: number }): Promise<number> {
  const objects = cases.flatMap((c) => c.objects);
  let s = performance.now();
  await applyObjects(cluster, objects);
  await rbacBarrier(cluster);
  timings.other += performance.now() - s;
  const probes = cases.flatMap((c) => c.probes);
  s = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < probes.length) {
      const p = probes[next++]!;
      await cluster.api.send(cluster.mintToken(p.requestor), p.request);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  timings.probe += performance.now() - s;
  s = performance.now();
  await deleteObjects(cluster, objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })));
  timings.other += performance.now() - s;
  return probes.length;
}

async function main(): Promise<void> {
  const version = parseKubeVersion(process.env.IMPFUZZ_KUBE_VERSION ?? DEFAULT_KUBE_VERSION);
  const cluster = await new LocalProvider().start({ version, gate: true });
  try {
    const templates = fc.sample(fuzzCaseArb(), { seed: SEED, numRuns: CASES });
    const batches = (tag: string) => {
      const out: FuzzCase[][] = [];
      for (let i = 0; i < templates.length; i += BATCH) out.push(templates.slice(i, i + BATCH).map((t, j) => instantiateCase(t, `b${tag}${i + j}-`)));
      return out;
    };
    // Warm-up: one batch each way, so JIT and connection pools are not measured.
    await rawBatch(cluster, batches("w")[0]!, { probe: 0, other: 0 });

    const raw = { probe: 0, other: 0 };
    let rawProbes = 0;
    for (const b of batches("r")) rawProbes += await rawBatch(cluster, b, raw);

    const ctx = {
      cluster,
      oracle: createOracle({ gate: true, version, clock: systemClock }),
      baseWorld: await readWorld(cluster),
      limiter: new KeyedLimiter(CONCURRENCY),
      timings: emptyTimings(),
    };
    let fullProbes = 0;
    let divergences = 0;
    for (const b of batches("f")) {
      const rs = await executeBatch(ctx, b);
      fullProbes += rs.length;
      divergences += rs.filter((r) => r.comparison.diffs.length > 0).length;
    }
    const t = ctx.timings;
    const fullProbeRate = fullProbes / (t.probe / 1000);
    const rawProbeRate = rawProbes / (raw.probe / 1000);
    const fullLoopRate = fullProbes / ((t.apply + t.barrier + t.probe + t.delete) / 1000);
    const rawLoopRate = rawProbes / ((raw.probe + raw.other) / 1000);
    const rows = [
      ["", "probes", "probe phase /s", "whole loop /s"],
      ["full (oracle + recording + comparison)", String(fullProbes), fullProbeRate.toFixed(1), fullLoopRate.toFixed(1)],
      ["raw (same requests, nothing else)", String(rawProbes), rawProbeRate.toFixed(1), rawLoopRate.toFixed(1)],
      ["ratio full/raw", "", (fullProbeRate / rawProbeRate).toFixed(2), (fullLoopRate / rawLoopRate).toFixed(2)],
    ];
    process.stdout.write(
      `impfuzz bench: kube-apiserver ${cluster.serverVersion}, ${CASES} cases (seed ${SEED}), concurrency ${CONCURRENCY}, batch ${BATCH}\n` +
        rows.map((r) => `  ${r[0]!.padEnd(40)} ${r[1]!.padStart(7)} ${r[2]!.padStart(16)} ${r[3]!.padStart(15)}`).join("\n") +
        `\n  full-loop phases (ms): apply ${t.apply.toFixed(0)}, barrier ${t.barrier.toFixed(0)}, probe ${t.probe.toFixed(0)}, delete ${t.delete.toFixed(0)}; divergences seen: ${divergences}\n`,
    );
  } finally {
    await cluster.stop();
  }
}

await main();
