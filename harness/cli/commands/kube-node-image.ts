import type { KubeVersion } from "../../core/index.ts";
import { buildProgressReporter } from "../build-progress.ts";

/** `impfuzz kube node-image`: the offline kind node image of a version, built or found up to date. */
export async function kubeNodeImage(opts: { version: KubeVersion; force: boolean; forceBase: boolean; signal: AbortSignal }): Promise<number> {
  const { buildNodeImage } = await import("../../cluster/kind/node-image/build-node-image.ts");
  const started = Date.now();
  const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
  const built = await buildNodeImage({
    version: opts.version,
    force: opts.force,
    forceBase: opts.forceBase,
    onBuildProgress: buildProgressReporter(),
    onStep: (s) => process.stderr.write(`impfuzz: ${s}\n`),
    signal: opts.signal,
  });
  for (const b of built.binaries) process.stdout.write(`${b.path}: built in ${b.seconds.toFixed(1)}s, ${mb(b.bytes)}\n`);
  process.stdout.write(built.base.reused ? `${built.base.image}: up to date\n` : `${built.base.image}: built in ${built.base.seconds.toFixed(1)}s\n`);
  for (const c of built.components) {
    process.stdout.write(c.reused ? `${c.image}: up to date, ${mb(c.bytes)}\n` : `${c.image}: built in ${c.seconds.toFixed(1)}s, ${mb(c.bytes)}\n`);
  }
  process.stdout.write(
    built.reused
      ? `${built.image}: up to date (same inputs), ${mb(built.bytes)}, ${built.id.slice(0, 19)}\n`
      : `${built.image}: built in ${built.seconds.toFixed(1)}s, ${mb(built.bytes)}, ${built.id.slice(0, 19)}\n`,
  );
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)}s; use with --provider kind)\n`);
  return 0;
}
