import { DEFAULT_KUBE_VERSION, parseKubeVersion } from "../core/index.ts";
import { ensureBinaries } from "../kube/index.ts";

/**
 * Integration tests need real binaries: find them the envtest way or build them once, before any test
 * file starts, so that no test's timeout has to cover a multi-minute cold `go build`.
 */
export default async function setup(): Promise<void> {
  const version = parseKubeVersion(process.env.IMPFUZZ_KUBE_VERSION ?? DEFAULT_KUBE_VERSION);
  let lastReport = 0;
  const started = Date.now();
  const b = await ensureBinaries({
    version,
    onProgress: (p) => {
      if (p.phase === "compiling" && Date.now() - lastReport < 10_000) return;
      lastReport = Date.now();
      process.stderr.write(`[impfuzz] building ${p.binary}: ${p.phase} ${p.compiled}/${p.total} packages\n`);
    },
    onWaitForLock: (pid) => process.stderr.write(`[impfuzz] waiting for build by pid ${pid}\n`),
  });
  for (const x of b.built) process.stderr.write(`[impfuzz] built ${x.path} in ${x.seconds.toFixed(0)}s (${(x.bytes / 1e6).toFixed(1)} MB)\n`);
  process.stderr.write(`[impfuzz] kube-apiserver ${b.apiserverVersion} from ${b.source} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`);
}
