import type { KubeVersion } from "../../core/index.ts";
import { buildProgressReporter } from "../build-progress.ts";

/** `impfuzz kube images`: the testcontainers provider's two images, built locally from the binaries. */
export async function kubeImages(opts: { version: KubeVersion; versionExplicit: boolean; force: boolean; signal: AbortSignal }): Promise<number> {
  const { buildImages } = await import("../../cluster/testcontainers/build-images.ts");
  const started = Date.now();
  const images = await buildImages({
    version: opts.version,
    versionExplicit: opts.versionExplicit,
    force: opts.force,
    onBuildProgress: buildProgressReporter(),
    onWaitForBuildLock: (pid) => process.stderr.write(`another impfuzz (pid ${pid}) is building the binaries; waiting for it\n`),
    signal: opts.signal,
  });
  for (const i of images) {
    const size = `${(i.bytes / 1e6).toFixed(1)} MB`;
    process.stdout.write(
      i.reused
        ? `${i.image}: up to date (built from the same binary), ${size}, ${i.id.slice(0, 19)}\n`
        : `${i.image}: built in ${i.seconds.toFixed(1)}s, ${size}, ${i.id.slice(0, 19)}\n`,
    );
  }
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)}s; use with --provider testcontainers)\n`);
  return 0;
}
