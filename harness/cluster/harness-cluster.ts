import { join } from "node:path";
import { ProviderStartError, type UserInfo } from "../core/index.ts";
import { RecordingAuthorizer, TokenAuthenticator } from "../webhooks/index.ts";
import { writeAdminKubeconfig } from "./admin-kubeconfig.ts";
import { ApiClient } from "./api-client.ts";
import { AuditLogReader } from "./audit-log.ts";
import { type HarnessFiles, writeHarnessFiles } from "./harness-files.ts";
import { makeTempDir, type TempDir } from "./local/process/temp-dir.ts";
import type { ClusterResources, ClusterSpec, StartedCluster } from "./provider.ts";

/** What a provider gets to start etcd and kube-apiserver with, and where it registers its undo steps. */
export interface HarnessContext {
  readonly spec: ClusterSpec;
  /** Config, certs, logs, audit log: the paths inside `files` point here. */
  readonly work: TempDir;
  /** etcd's data, on tmpfs where the machine has one; made on first use (kind's etcd runs in the node). */
  readonly data: TempDir;
  readonly files: HarnessFiles;
  readonly signal: AbortSignal | undefined;
  /** Register what undoes a step just taken; undone in reverse on failure and on stop. */
  onUndo(step: () => Promise<unknown>): void;
}

/** What a provider sets up before the webhooks start, e.g. the network they must be reachable on. */
export interface HarnessPreparation {
  /** The address the webhooks listen on (default 127.0.0.1: the apiserver runs on this host's network). */
  readonly webhookHost?: string;
  /** Where the apiserver finds the harness files (default: where they are written, the work dir). */
  readonly filesDir?: string;
}

export interface HarnessOptions {
  /** Runs first, with the work dir made; its undo steps run last. */
  readonly prepare?: (ctx: Pick<HarnessContext, "spec" | "work" | "signal" | "onUndo">) => Promise<HarnessPreparation>;
}

/** The running apiserver as the provider started it. */
export interface ServerHandle {
  readonly url: string;
  readonly caPem: string;
  readonly auditLogPath: string;
  readonly pids: readonly number[];
  readonly containers: readonly string[];
}

/**
 * Everything providers that run the kube-apiserver binary themselves (local processes, containers)
 * share: our two webhooks in this process (started first: the apiserver calls them during start-up
 * and failurePolicy is Deny), the harness files, the admin kubeconfig, the audit reader, and undoing
 * every step in reverse if a later one fails or when the cluster stops.
 */
export async function startHarnessCluster(
  provider: string,
  spec: ClusterSpec,
  signal: AbortSignal | undefined,
  startServers: (ctx: HarnessContext) => Promise<ServerHandle>,
  options: HarnessOptions = {},
): Promise<StartedCluster> {
  const undo: (() => Promise<unknown>)[] = [];
  const rollback = async () => {
    for (const u of undo.reverse()) await u().catch(() => {});
  };
  try {
    const work = makeTempDir("cluster");
    undo.push(() => work.remove());
    const onUndo = (step: () => Promise<unknown>) => void undo.push(step);
    let data: TempDir | undefined;
    const dataDir = (): TempDir => {
      if (data === undefined) {
        const made = makeTempDir("etcd", { memory: true });
        undo.push(() => made.remove());
        data = made;
      }
      return data;
    };
    const prep = (await options.prepare?.({ spec, work, signal, onUndo })) ?? {};
    signal?.throwIfAborted();
    const recorder = await RecordingAuthorizer.start(prep.webhookHost);
    undo.push(() => recorder.stop());
    const authn = await TokenAuthenticator.start(prep.webhookHost);
    undo.push(() => authn.stop());
    const files = await writeHarnessFiles(work.path, { authorize: recorder.url, authenticate: authn.url }, prep.filesDir);
    signal?.throwIfAborted();
    const server = await startServers({
      spec,
      work,
      get data() {
        return dataDir();
      },
      files,
      signal,
      onUndo,
    });
    const api = new ApiClient({ url: server.url, ca: server.caPem });
    undo.push(async () => api.close());
    const adminKubeconfigPath = join(work.path, "admin.kubeconfig");
    await writeAdminKubeconfig(adminKubeconfigPath, server.url, server.caPem, files.adminToken);
    const version = await api.send(files.adminToken, { method: "GET", path: "/version", headers: [] });
    const audit = new AuditLogReader(server.auditLogPath);
    undo.push(() => audit.close());
    return new StartedHarnessCluster({
      provider,
      spec,
      serverVersion: String((version.json as { gitVersion?: string } | undefined)?.gitVersion),
      api,
      adminToken: files.adminToken,
      adminKubeconfigPath,
      recorder,
      authn,
      audit,
      teardown: rollback,
      resources: { pids: server.pids, paths: [work.path, ...(data ? [data.path] : [])], containers: server.containers },
    });
  } catch (e) {
    await rollback();
    if (e instanceof ProviderStartError || (e as Error).name === "AbortError") throw e;
    throw new ProviderStartError(`${provider} cluster did not start: ${(e as Error).message}`, e);
  }
}

interface HarnessClusterParts {
  readonly provider: string;
  readonly spec: ClusterSpec;
  readonly serverVersion: string;
  readonly api: ApiClient;
  readonly adminToken: string;
  readonly adminKubeconfigPath: string;
  readonly recorder: RecordingAuthorizer;
  readonly authn: TokenAuthenticator;
  readonly audit: AuditLogReader;
  readonly teardown: () => Promise<void>;
  readonly resources: ClusterResources;
}

/** A cluster whose authorization chain starts with our recorder and whose requestors our webhook mints. */
class StartedHarnessCluster implements StartedCluster {
  readonly capabilities = { orderedChecks: true, auditEvents: true, arbitraryRequestors: true };
  readonly provider: string;
  readonly spec: ClusterSpec;
  readonly serverVersion: string;
  readonly api: ApiClient;
  readonly adminToken: string;
  readonly adminKubeconfigPath: string;
  readonly recorder: RecordingAuthorizer;
  readonly audit: AuditLogReader;
  readonly resources: ClusterResources;
  private readonly authn: TokenAuthenticator;
  private readonly teardown: () => Promise<void>;
  private stopped: Promise<void> | undefined;

  constructor(p: HarnessClusterParts) {
    ({
      provider: this.provider,
      spec: this.spec,
      serverVersion: this.serverVersion,
      api: this.api,
      adminToken: this.adminToken,
      adminKubeconfigPath: this.adminKubeconfigPath,
      recorder: this.recorder,
      authn: this.authn,
      audit: this.audit,
      teardown: this.teardown,
      resources: this.resources,
    } = p);
  }

  get mintEndpoint(): string {
    return this.authn.mintUrl;
  }

  mintToken(identity: UserInfo): string {
    return this.authn.mint(identity);
  }

  stop(): Promise<void> {
    this.stopped ??= this.teardown();
    return this.stopped;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
