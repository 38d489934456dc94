import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { ContainerRuntimeClient } from "testcontainers";
import { startHarnessCluster } from "../harness-cluster.ts";
import { freePort } from "../local/process/free-port.ts";
import type { ClusterProvider, ClusterSpec, StartedCluster } from "../provider.ts";
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
    return startHarnessCluster(this.name, spec, signal, async (ctx) => {
      // The work dir and etcd's data dir are mounted at the same absolute paths inside the containers,
      // so the harness files name themselves as written.
      const etcd = await new EtcdContainer()
        .withPorts(await freePort(), await freePort())
        .withDataDir(ctx.data.path)
        .withLogFile(join(ctx.work.path, "etcd.log"))
        .withLabels(ownerLabels(runId, "etcd"))
        .start();
      ctx.onUndo(() => etcd.stop({ timeout: STOP_GRACE_MS, remove: true, removeVolumes: true }));
      ctx.signal?.throwIfAborted();
      const apiserver = await new ApiserverContainer()
        .withVersion(spec.version)
        .withConstrainedImpersonation(spec.gate)
        .withEtcd(etcd.getClientUrl())
        .withHarnessFiles(ctx.work.path, ctx.files)
        .withSecurePort(await freePort())
        .withLogFile(join(ctx.work.path, "kube-apiserver.log"))
        .withLabels(ownerLabels(runId, "kube-apiserver"))
        .start();
      ctx.onUndo(() => apiserver.stop({ timeout: STOP_GRACE_MS, remove: true, removeVolumes: true }));
      const containers = [etcd.getId(), apiserver.getId()];
      return {
        url: apiserver.getUrl(),
        caPem: apiserver.getCaPem(),
        auditLogPath: apiserver.getAuditLogPath(),
        pids: await hostPids(client, containers),
        containers,
      };
    });
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
