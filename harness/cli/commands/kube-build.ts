import { type KubeVersion } from "../../core/index.ts";
import { ensureBinaries } from "../../kube/index.ts";
import { buildProgressReporter } from "../build-progress.ts";

export async function kubeBuild(opts: { version: KubeVersion; versionExplicit: boolean; force: boolean; signal: AbortSignal }): Promise<number> {
  const started = Date.now();
  const b = await ensureBinaries({
    version: opts.version,
    versionExplicit: opts.versionExplicit,
    force: opts.force,
    onProgress: buildProgressReporter(),
    onWaitForLock: (pid) => process.stderr.write(`another impfuzz (pid ${pid}) is building these binaries; waiting for it\n`),
    signal: opts.signal,
  });
  for (const x of b.built) {
    process.stdout.write(`built ${x.path} in ${x.seconds.toFixed(1)}s, ${(x.bytes / 1e6).toFixed(1)} MB\n`);
  }
  process.stdout.write(`kube-apiserver ${b.apiserverVersion}: ${b.kubeApiserver}\netcd: ${b.etcd}\n(found via ${b.source}, ${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
  return 0;
}
