/**
 * `npm run bench:startup`: time from "start the provider" to a usable cluster (/readyz 200 and the
 * default namespace readable), warm binaries, N runs (default 5), median reported. Not a test: timing
 * goals are read from here, never asserted.
 */
import { LocalProvider } from "../cluster/local/local-provider.ts";
import type { ClusterProvider } from "../cluster/provider.ts";
import { DEFAULT_KUBE_VERSION, parseKubeVersion } from "../core/index.ts";
import { ensureBinaries } from "../kube/index.ts";

export async function benchStartup(provider: ClusterProvider, runs: number, gate = true): Promise<number[]> {
  const version = parseKubeVersion(process.env.IMPFUZZ_KUBE_VERSION ?? DEFAULT_KUBE_VERSION);
  await ensureBinaries({ version });
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c = await provider.start({ version, gate });
    times.push((performance.now() - t0) / 1000);
    await c.stop();
  }
  return times;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 5);
  const times = await benchStartup(new LocalProvider(), runs);
  process.stdout.write(`local provider start-up to ready, ${runs} runs: ${times.map((t) => t.toFixed(2)).join(" ")} s; median ${median(times).toFixed(2)} s\n`);
}
