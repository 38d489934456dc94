import { join } from "node:path";
import { BuildError, type KubeVersion } from "../core/index.ts";
import { type BuildProgress, type BuiltBinary, buildBinary } from "./build-binary.ts";
import { withBuildLock } from "./build-lock.ts";
import { binaryDir } from "./cache-dir.ts";
import { ensureBinaries } from "./ensure-binaries.ts";
import { executable } from "./find-binaries.ts";
import { type KubeComponent, kubeRecipe, NODE_COMPONENTS, pauseRecipe } from "./recipes.ts";

export interface NodeBinaries {
  readonly "kube-apiserver": string;
  readonly "kube-controller-manager": string;
  readonly "kube-scheduler": string;
  readonly kubelet: string;
  readonly kubeadm: string;
  readonly kubectl: string;
  readonly etcd: string;
  readonly pause: string;
  readonly built: readonly BuiltBinary[];
}

export interface EnsureNodeOptions {
  readonly version: KubeVersion;
  /** The pause image's tag for this version (the binary is impfuzz's own, whatever the tag). */
  readonly pauseTag: string;
  readonly onProgress?: (p: BuildProgress) => void;
  readonly onWaitForLock?: (ownerPid: number) => void;
  readonly signal?: AbortSignal;
}


/**
 * Everything a kind node image of this version runs, built once into the version's cache dir: the
 * apiserver and etcd found or built as for the local provider (so a node image and a local cluster of
 * one version run the same apiserver), the other components and impfuzz's pause program next to them.
 */
export async function ensureNodeBinaries(opts: EnsureNodeOptions): Promise<NodeBinaries> {
  const core = await ensureBinaries({
    version: opts.version,
    versionExplicit: true,
    onProgress: opts.onProgress,
    onWaitForLock: opts.onWaitForLock,
    signal: opts.signal,
  });
  const dir = binaryDir(opts.version);
  const recipes = [...NODE_COMPONENTS.map((c) => kubeRecipe(c, opts.version)), pauseRecipe(opts.pauseTag)];
  const missing = async () => {
    const out = [];
    for (const r of recipes) if (!(await executable(join(dir, r.binary)))) out.push(r);
    return out;
  };
  const built: BuiltBinary[] = [...core.built];
  if ((await missing()).length > 0) {
    await withBuildLock(dir, opts.onWaitForLock ?? (() => {}), async () => {
      // Another process may have built some of them while we waited for the lock.
      for (const r of await missing()) built.push(await buildBinary(r, dir, opts.onProgress, opts.signal));
    });
  }
  const path = (c: KubeComponent | "pause") => join(dir, c);
  for (const r of recipes) {
    if (!(await executable(path(r.binary as KubeComponent)))) throw new BuildError(`${r.binary} was built into ${dir} but is not there`);
  }
  return {
    "kube-apiserver": core.kubeApiserver,
    "kube-controller-manager": path("kube-controller-manager"),
    "kube-scheduler": path("kube-scheduler"),
    kubelet: path("kubelet"),
    kubeadm: path("kubeadm"),
    kubectl: path("kubectl"),
    etcd: core.etcd,
    pause: path("pause"),
    built,
  };
}
