import { join } from "node:path";
import { ProviderStartError } from "../../core/index.ts";
import { ensureBinaries, type BuildProgress } from "../../kube/index.ts";
import { RecordingAuthorizer, TokenAuthenticator } from "../../webhooks/index.ts";
import { writeAdminKubeconfig } from "../admin-kubeconfig.ts";
import { ApiClient } from "../api-client.ts";
import { AuditLogReader } from "../audit-log.ts";
import { writeHarnessFiles } from "../harness-files.ts";
import type { ClusterProvider, ClusterResources, ClusterSpec, StartedCluster } from "../provider.ts";
import { startApiserver } from "./controlplane/apiserver.ts";
import { startEtcd } from "./controlplane/etcd.ts";
import { makeTempDir } from "./process/temp-dir.ts";

export interface LocalProviderOptions {
  readonly onBuildProgress?: (p: BuildProgress) => void;
  readonly onWaitForBuildLock?: (pid: number) => void;
}

/**
 * etcd and kube-apiserver as child processes on 127.0.0.1 with random ports, our two webhooks in this
 * process. Start order: webhooks (the apiserver calls them during start-up, and failurePolicy is
 * Deny), etcd, apiserver; anything started is undone if a later step fails.
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
    const undo: (() => Promise<unknown>)[] = [];
    const rollback = async () => {
      for (const u of undo.reverse()) await u().catch(() => {});
    };
    try {
      const work = makeTempDir("cluster");
      undo.push(() => work.remove());
      const data = makeTempDir("etcd", { memory: true });
      undo.push(() => data.remove());
      const recorder = await RecordingAuthorizer.start();
      undo.push(() => recorder.stop());
      const authn = await TokenAuthenticator.start();
      undo.push(() => authn.stop());
      const files = await writeHarnessFiles(work.path, { authorize: recorder.url, authenticate: authn.url });
      signal?.throwIfAborted();
      const etcd = await startEtcd(binaries.etcd, data.path, work.path);
      undo.push(() => etcd.child.stop());
      signal?.throwIfAborted();
      const apiserver = await startApiserver(binaries.kubeApiserver, {
        files,
        etcdUrl: etcd.url,
        workDir: work.path,
        gate: spec.gate,
      });
      undo.push(() => apiserver.child.stop());
      const api = new ApiClient({ url: apiserver.url, ca: apiserver.caPem });
      undo.push(async () => api.close());
      const adminKubeconfigPath = join(work.path, "admin.kubeconfig");
      await writeAdminKubeconfig(adminKubeconfigPath, apiserver.url, apiserver.caPem, files.adminToken);
      const version = await api.send(files.adminToken, { method: "GET", path: "/version", headers: [] });
      const audit = new AuditLogReader(apiserver.auditLogPath);
      undo.push(() => audit.close());
      const resources = {
        pids: [etcd.child.pid, apiserver.child.pid].filter((p): p is number => p !== undefined),
        paths: [work.path, data.path],
        containers: [],
      };
      const gitVersion = String((version.json as { gitVersion?: string } | undefined)?.gitVersion);
      return new StartedLocalCluster(spec, gitVersion, api, files.adminToken, adminKubeconfigPath, recorder, authn, audit, rollback, resources);
    } catch (e) {
      await rollback();
      if (e instanceof ProviderStartError || (e as Error).name === "AbortError") throw e;
      throw new ProviderStartError(`local cluster did not start: ${(e as Error).message}`, e);
    }
  }
}

class StartedLocalCluster implements StartedCluster {
  readonly provider = "local";
  readonly capabilities = { orderedChecks: true, auditEvents: true, arbitraryRequestors: true };
  private stopped: Promise<void> | undefined;

  constructor(
    readonly spec: ClusterSpec,
    readonly serverVersion: string,
    readonly api: ApiClient,
    readonly adminToken: string,
    readonly adminKubeconfigPath: string,
    readonly recorder: RecordingAuthorizer,
    private readonly authn: TokenAuthenticator,
    readonly audit: AuditLogReader,
    private readonly teardown: () => Promise<void>,
    readonly resources: ClusterResources,
  ) {}

  get mintEndpoint(): string {
    return this.authn.mintUrl;
  }

  mintToken(identity: Parameters<TokenAuthenticator["mint"]>[0]): string {
    return this.authn.mint(identity);
  }

  stop(): Promise<void> {
    this.stopped ??= this.teardown();
    return this.stopped;
  }
}
