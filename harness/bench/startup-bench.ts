/**
 * `npm run bench:startup [-- <provider> [runs]]`: time from "start the provider" to a usable cluster
 * (/readyz 200 and the default namespace readable), warm binaries (and, for testcontainers, images
 * present), N runs (default 5), median reported. Provider: local (default) or testcontainers. Not a
 * test: timing goals are read from here, never asserted.
 */
import type { ClusterProvider } from "../cluster/provider.ts";
import { DEFAULT_KUBE_VERSION, parseKubeVersion } from "../core/index.ts";
import { ensureBinaries } from "../kube/index.ts";
import { PROVIDER_NAMES, providerByName } from "../cli/providers.ts";

export async function benchStartup(provider: ClusterProvider, runs: number, gate = true): Promise<number[]> {
  const version = parseKubeVersion(process.env.IMPFUZZ_KUBE_VERSION ?? DEFAULT_KUBE_VERSION);
  await ensureBinaries({ version });
  // Whatever a provider needs before its first start (a container engine, images) is not start-up time.
  await provider.preflight?.({ version });
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
  // Numbers are runs, anything else the provider: `-- testcontainers`, `-- 3`, `-- local 7`.
  const args = process.argv.slice(2);
  const name = args.find((a) => !/^\d+$/.test(a)) ?? "local";
  const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
  if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
    process.stderr.write(`unknown provider "${name}": use one of ${PROVIDER_NAMES.join(", ")}\n`);
    process.exit(2);
  }
  const times = await benchStartup(providerByName(name), runs);
  process.stdout.write(`${name} provider start-up to ready, ${runs} runs: ${times.map((t) => t.toFixed(2)).join(" ")} s; median ${median(times).toFixed(2)} s\n`);
  process.exit(0);
}
