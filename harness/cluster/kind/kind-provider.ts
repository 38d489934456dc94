import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { execa } from "execa";
import { parse } from "yaml";
import { registerCleanup } from "../../core/cleanup.ts";
import { type KubeVersion, ProviderStartError } from "../../core/index.ts";
import type { BuildProgress } from "../../kube/index.ts";
import { startHarnessCluster } from "../harness-cluster.ts";
import { httpsStatus } from "../local/controlplane/https-probe.ts";
import type { ClusterProvider, ClusterSpec, StartedCluster } from "../provider.ts";
import { ownerLabels } from "../testcontainers/owner.ts";
import { ensureKind, type KindBinary } from "./kind-binary.ts";
import { containerPid, kindCreateCluster, kindDeleteCluster, nodeAddress, removeKindClusterSync } from "./kind-cli.ts";
import { APISERVER_PATCH_FILE, apiserverProbePatch, kindConfigYaml, NODE_AUDIT_LOG, NODE_FILES_DIR, NODE_KUBEADM_PATCHES_DIR } from "./kind-config.ts";
import { createNetwork, removeNetwork } from "./kind-network.ts";
import { KIND_NETWORK_COMPONENT, LABEL_WORK_DIR, removeKindOrphans, type RemovedKindOrphan } from "./kind-orphans.ts";
import { inspectImage } from "./node-image/docker-image.ts";
import { LABEL_NODE_ETCD_TAG, localNodeImage, officialNodeImage } from "./node-image/pins.ts";

export interface KindProviderOptions {
  /** A node image to use instead of the default choice (impfuzz's local image if built, else the official one). */
  readonly nodeImage?: string;
  readonly onBuildProgress?: (p: BuildProgress) => void;
  readonly onOrphansRemoved?: (removed: readonly RemovedKindOrphan[]) => void;
  readonly readyTimeoutMs?: number;
}

export interface NodeImageChoice {
  readonly image: string;
  /** Set when the image is impfuzz's offline build (its labels say which etcd it carries). */
  readonly offline?: { readonly etcdTag: string };
}

/** kube-apiserver's port inside the node (kubeadm's default bindPort; kind never changes it). */
const APISERVER_PORT = 6443;

/**
 * A real kind cluster, created and deleted with the kind CLI through execa. Its kube-apiserver gets
 * the harness flags through kubeadm, reads the harness files from this run's work dir (mounted into
 * the node and on into the apiserver pod) and calls our webhooks at this machine's address on the
 * Docker network the run creates for it. The node image is impfuzz's offline build
 * (`impfuzz kube node-image`) when present, otherwise the official `kindest/node` that kind pulls.
 *
 * Clean-up: the run's network carries the owner (host, pid, start time) and the work dir, so a later
 * start deletes what a killed run left; within a run every step is undone in reverse on failure and
 * on stop, with a synchronous fallback at process exit.
 */
export class KindProvider implements ClusterProvider {
  readonly name = "kind";

  constructor(private readonly opts: KindProviderOptions = {}) {}

  /** Docker answers, kind is available (found or built), and there is a node image to start. */
  async preflight(spec: Pick<ClusterSpec, "version">): Promise<{ kind: KindBinary; image: NodeImageChoice }> {
    const info = await execa("docker", ["info", "--format", "{{.ServerVersion}}"], { reject: false });
    if (info.failed) {
      throw new ProviderStartError(`no Docker engine answers (docker info: ${String(info.stderr).split("\n")[0] || "failed"}): start dockerd, or use --provider local`);
    }
    const kind = await ensureKind({ onProgress: this.opts.onBuildProgress });
    return { kind, image: await this.chooseImage(spec.version) };
  }

  private async chooseImage(version: KubeVersion): Promise<NodeImageChoice> {
    const wanted = this.opts.nodeImage ?? process.env.IMPFUZZ_KIND_NODE_IMAGE;
    const candidates = wanted ? [wanted] : [localNodeImage(version), officialNodeImage(version)];
    for (const image of candidates) {
      const info = await inspectImage(image);
      if (info) {
        const etcdTag = info.labels[LABEL_NODE_ETCD_TAG];
        return etcdTag ? { image, offline: { etcdTag } } : { image };
      }
    }
    const image = candidates[candidates.length - 1] as string;
    // Not on the engine: kind pulls the official image itself; without a registry that cannot work.
    const pulled = await execa("docker", ["pull", image], { reject: false });
    if (pulled.failed) {
      throw new ProviderStartError(
        `no kind node image for ${version}: ${candidates.join(" and ")} are not on the Docker engine and ${image} could not be pulled: run \`impfuzz kube node-image --kube-version ${version}\` to build one offline`,
      );
    }
    return { image };
  }

  async start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster> {
    const { kind, image } = await this.preflight(spec);
    const orphans = await removeKindOrphans(kind.path);
    if (orphans.length) this.opts.onOrphansRemoved?.(orphans);
    signal?.throwIfAborted();
    const cluster = `impfuzz-${randomBytes(5).toString("hex")}`;
    const nodeContainer = `${cluster}-control-plane`;
    const readyTimeoutMs = this.opts.readyTimeoutMs ?? 120_000;

    return startHarnessCluster(
      this.name,
      spec,
      signal,
      async (ctx) => {
        const auditHostDir = join(ctx.work.path, "audit");
        await mkdir(auditHostDir, { recursive: true });
        const patches = join(ctx.work.path, NODE_KUBEADM_PATCHES_DIR.split("/").pop() as string);
        await mkdir(patches, { recursive: true });
        await writeFile(join(patches, APISERVER_PATCH_FILE), apiserverProbePatch(ctx.files.adminToken), { mode: 0o600 });
        const configPath = join(ctx.work.path, "kind-config.yaml");
        const kubeconfigPath = join(ctx.work.path, "kind.kubeconfig");
        await writeFile(
          configPath,
          kindConfigYaml({ gate: spec.gate, files: ctx.files, filesHostDir: ctx.work.path, auditHostDir, offline: image.offline }),
        );
        const unregister = registerCleanup({
          name: `kind cluster ${cluster}`,
          async: () => kindDeleteCluster(kind.path, cluster, kubeconfigPath),
          sync: () => removeKindClusterSync(cluster),
        });
        ctx.onUndo(async () => {
          await kindDeleteCluster(kind.path, cluster, kubeconfigPath);
          unregister();
        });
        await kindCreateCluster({ kind: kind.path, name: cluster, image: image.image, configPath, kubeconfigPath, network: cluster, signal: ctx.signal });
        const address = await nodeAddress(nodeContainer, cluster);
        const url = `https://${address}:${APISERVER_PORT}`;
        const caPem = await kubeconfigCa(kubeconfigPath);
        await waitUntilUsable(url, caPem, ctx.files.adminToken, readyTimeoutMs, ctx.signal);
        // kube-apiserver runs as root in the node and creates the audit log 0600; impfuzz may not be
        // root (a user in the docker group). The log is opened once (no rotation), so once is enough.
        await execa("docker", ["exec", nodeContainer, "chmod", "0644", NODE_AUDIT_LOG], { reject: false });
        const pid = await containerPid(nodeContainer);
        return {
          url,
          caPem,
          auditLogPath: join(auditHostDir, NODE_AUDIT_LOG.split("/").pop() as string),
          pids: pid ? [pid] : [],
          containers: [nodeContainer],
        };
      },
      {
        prepare: async (ctx) => {
          const labels = {
            ...ownerLabels(cluster, KIND_NETWORK_COMPONENT),
            [LABEL_WORK_DIR]: ctx.work.path,
          };
          const unregister = registerCleanup({
            name: `docker network ${cluster}`,
            async: () => removeNetwork(cluster),
            sync: () => void spawnSync("docker", ["network", "rm", cluster], { stdio: "ignore", timeout: 10_000 }),
          });
          const { gateway } = await createNetwork(cluster, labels);
          ctx.onUndo(async () => {
            await removeNetwork(cluster);
            unregister();
          });
          return { webhookHost: gateway, filesDir: NODE_FILES_DIR };
        },
      },
    );
  }
}

/** The cluster CA kind wrote into the kubeconfig (the apiserver's serving cert chains to it). */
async function kubeconfigCa(path: string): Promise<string> {
  const cfg = parse(await readFile(path, "utf8")) as { clusters?: { cluster?: { "certificate-authority-data"?: string } }[] };
  const data = cfg.clusters?.[0]?.cluster?.["certificate-authority-data"];
  if (!data) throw new ProviderStartError(`kind wrote no certificate-authority-data into ${path}`);
  return Buffer.from(data, "base64").toString("utf8");
}

/**
 * The bootstrap ClusterRoles that kube-controller-manager fills in by aggregation (kube-apiserver
 * creates them with an aggregationRule and no rules). The RBAC world is read from the server once the
 * cluster is ready, so it must be read after they are filled: a `RoleBinding` to `edit` granted
 * `impersonate` on service accounts on the server while the oracle's early copy still had an empty
 * `edit` (found by the fuzzer on kind). The local providers run no controller-manager: there these
 * roles stay empty, on the server and in the oracle alike.
 */
export const AGGREGATED_BOOTSTRAP_ROLES = ["admin", "edit", "view"] as const;

/**
 * As for the other providers, `/readyz` 200 and the `default` namespace readable with the admin
 * token; then, because a controller-manager runs here, the aggregated bootstrap roles filled in.
 */
async function waitUntilUsable(url: string, caPem: string, token: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    signal?.throwIfAborted();
    const ready = await httpsStatus(`${url}/readyz`, caPem, token);
    last = `readyz ${ready.status}`;
    if (ready.status === 200 && (await httpsStatus(`${url}/api/v1/namespaces/default`, caPem, token)).status === 200) {
      const empty = await emptyAggregatedRoles(url, caPem, token);
      if (empty.length === 0) return;
      last = `ClusterRoles not yet aggregated by kube-controller-manager: ${empty.join(", ")}`;
    }
    await sleep(200);
  }
  throw new ProviderStartError(`kind's kube-apiserver at ${url} was not usable within ${timeoutMs / 1000}s (${last})`);
}

async function emptyAggregatedRoles(url: string, caPem: string, token: string): Promise<string[]> {
  const empty: string[] = [];
  for (const name of AGGREGATED_BOOTSTRAP_ROLES) {
    const r = await httpsStatus(`${url}/apis/rbac.authorization.k8s.io/v1/clusterroles/${name}`, caPem, token);
    const rules = r.status === 200 ? (JSON.parse(r.body) as { rules?: unknown[] | null }).rules : undefined;
    if (!rules || rules.length === 0) empty.push(name);
  }
  return empty;
}

