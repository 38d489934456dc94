import { ensureBinaries, type BuildProgress } from "../../kube/index.ts";
import { startHarnessCluster } from "../harness-cluster.ts";
import type { ClusterProvider, ClusterSpec, StartedCluster } from "../provider.ts";
import { startApiserver } from "./controlplane/apiserver.ts";
import { startEtcd } from "./controlplane/etcd.ts";

export interface LocalProviderOptions {
  readonly onBuildProgress?: (p: BuildProgress) => void;
  readonly onWaitForBuildLock?: (pid: number) => void;
}

/**
 * etcd and kube-apiserver as child processes on 127.0.0.1 with random ports (binaries found the
 * envtest way or built once), our two webhooks in this process.
 */
export class LocalProvider implements ClusterProvider {
  readonly name = "local";

  constructor(private readonly opts: LocalProviderOptions = {}) {}

  async start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster> {
    const binaries = await ensureBinaries({
      version: spec.version,
      versionExplicit: spec.versionExplicit,
      onProgress: this.opts.onBuildProgress,
      onWaitForLock: this.opts.onWaitForBuildLock,
      signal,
    });
    return startHarnessCluster(this.name, spec, signal, async (ctx) => {
      const etcd = await startEtcd(binaries.etcd, ctx.data.path, ctx.work.path);
      ctx.onUndo(() => etcd.child.stop());
      ctx.signal?.throwIfAborted();
      const apiserver = await startApiserver(binaries.kubeApiserver, {
        files: ctx.files,
        etcdUrl: etcd.url,
        workDir: ctx.work.path,
        gate: spec.gate,
      });
      ctx.onUndo(() => apiserver.child.stop());
      return {
        url: apiserver.url,
        caPem: apiserver.caPem,
        auditLogPath: apiserver.auditLogPath,
        pids: [etcd.child.pid, apiserver.child.pid].filter((p): p is number => p !== undefined),
        containers: [],
      };
    });
  }
}
