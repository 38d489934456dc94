import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { ContainerRuntimeClient } from "testcontainers";
import { ProviderStartError, type UserInfo } from "../../core/index.ts";
import { RecordingAuthorizer, TokenAuthenticator } from "../../webhooks/index.ts";
import { writeAdminKubeconfig } from "../admin-kubeconfig.ts";
import { ApiClient } from "../api-client.ts";
import { AuditLogReader } from "../audit-log.ts";
import { writeHarnessFiles } from "../harness-files.ts";
import { freePort } from "../local/process/free-port.ts";
import { makeTempDir } from "../local/process/temp-dir.ts";
import type { ClusterProvider, ClusterResources, ClusterSpec, StartedCluster } from "../provider.ts";
import { ApiserverContainer } from "./apiserver-container.ts";
import { connectDocker, ensureImage } from "./docker-engine.ts";
import { EtcdContainer } from "./etcd-container.ts";
import { apiserverImage, etcdImage } from "./images.ts";
import { ownerLabels, removeOrphans, type RemovedOrphan } from "./owner.ts";

export interface TestcontainersProviderOptions {
  /** Told about containers of dead impfuzz runs that a start removed. */
  readonly onOrphansRemoved?: (removed: readonly RemovedOrphan[]) => void;
}

/** How long a container gets between SIGTERM and SIGKILL on stop (the local provider allows 5 s too). */
const STOP_GRACE_MS = 5000;

/**
 * The local provider's cluster, in containers: etcd and kube-apiserver from the official images, on
 * the host network, with the same flags, harness files, webhooks (in this process, on 127.0.0.1) and
 * audit log. The work dir and etcd's tmpfs data dir are host temp dirs mounted at the same paths.
 *
 * Start order as in the local provider, plus two checks first, before anything exists: the Docker
 * engine answers, and both images are there (or can be pulled). Every container is labelled with
 * this run and this process; containers whose owner died (a crash, SIGKILL) are removed at start.
 */
export class TestcontainersProvider implements ClusterProvider {
  readonly name = "testcontainers";

  constructor(private readonly opts: TestcontainersProviderOptions = {}) {}

  /** Engine reachable and images present or pulled; throws a one-line ProviderStartError naming the fix. */
  async preflight(spec: Pick<ClusterSpec, "version">): Promise<ContainerRuntimeClient> {
    const client = await connectDocker();
    const hint = `impfuzz kube images --kube-version ${spec.version}`;
    await ensureImage(client, etcdImage(), hint);
    await ensureImage(client, apiserverImage(spec.version), hint);
    return client;
  }

  async start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster> {
    const client = await this.preflight(spec);
    const orphans = await removeOrphans(client);
    if (orphans.length) this.opts.onOrphansRemoved?.(orphans);
    signal?.throwIfAborted();

    const runId = randomBytes(6).toString("hex");
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
      // Same absolute paths inside the containers, so the files name themselves as written.
      const files = await writeHarnessFiles(work.path, { authorize: recorder.url, authenticate: authn.url });
      signal?.throwIfAborted();

      const etcd = await new EtcdContainer()
        .withPorts(await freePort(), await freePort())
        .withDataDir(data.path)
        .withLogFile(join(work.path, "etcd.log"))
        .withLabels(ownerLabels(runId, "etcd"))
        .start();
      undo.push(() => etcd.stop({ timeout: STOP_GRACE_MS, remove: true, removeVolumes: true }));
      signal?.throwIfAborted();

      const apiserver = await new ApiserverContainer()
        .withVersion(spec.version)
        .withConstrainedImpersonation(spec.gate)
        .withEtcd(etcd.getClientUrl())
        .withHarnessFiles(work.path, files)
        .withSecurePort(await freePort())
        .withLogFile(join(work.path, "kube-apiserver.log"))
        .withLabels(ownerLabels(runId, "kube-apiserver"))
        .start();
      undo.push(() => apiserver.stop({ timeout: STOP_GRACE_MS, remove: true, removeVolumes: true }));

      const api = new ApiClient({ url: apiserver.getUrl(), ca: apiserver.getCaPem() });
      undo.push(async () => api.close());
      const adminKubeconfigPath = join(work.path, "admin.kubeconfig");
      await writeAdminKubeconfig(adminKubeconfigPath, apiserver.getUrl(), apiserver.getCaPem(), files.adminToken);
      const version = await api.send(files.adminToken, { method: "GET", path: "/version", headers: [] });
      const audit = new AuditLogReader(apiserver.getAuditLogPath());
      undo.push(() => audit.close());
      const containers = [etcd.getId(), apiserver.getId()];
      const resources: ClusterResources = {
        pids: await hostPids(client, containers),
        paths: [work.path, data.path],
        containers,
      };
      const gitVersion = String((version.json as { gitVersion?: string } | undefined)?.gitVersion);
      return new StartedContainersCluster(spec, runId, gitVersion, api, files.adminToken, adminKubeconfigPath, recorder, authn, audit, rollback, resources);
    } catch (e) {
      await rollback();
      if (e instanceof ProviderStartError || (e as Error).name === "AbortError") throw e;
      throw new ProviderStartError(`testcontainers cluster did not start: ${(e as Error).message}`, e);
    }
  }
}

/**
 * The containers' main processes as this machine's pids (what `docker inspect` reports), so a test can
 * check they are gone after stop. Empty for an engine on another machine or in another pid namespace.
 */
async function hostPids(client: ContainerRuntimeClient, ids: readonly string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const id of ids) {
    const pid = (await client.container.dockerode.getContainer(id).inspect()).State.Pid;
    if (pid > 0 && processVisible(pid)) pids.push(pid);
  }
  return pids;
}

function processVisible(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

class StartedContainersCluster implements StartedCluster {
  readonly provider = "testcontainers";
  readonly capabilities = { orderedChecks: true, auditEvents: true, arbitraryRequestors: true };
  private stopped: Promise<void> | undefined;

  constructor(
    readonly spec: ClusterSpec,
    /** The `dev.impfuzz.run` label on both containers. */
    readonly runId: string,
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
