import { spawnSync } from "node:child_process";
import { execa } from "execa";
import { ProviderStartError } from "../../core/index.ts";

export interface KindCreate {
  readonly kind: string;
  readonly name: string;
  readonly image: string;
  readonly configPath: string;
  /** kind writes the cluster's admin kubeconfig here (never into the user's ~/.kube/config). */
  readonly kubeconfigPath: string;
  /** The Docker network the node joins (created by the caller). */
  readonly network: string;
  readonly signal?: AbortSignal;
}

function kindEnv(network: string): NodeJS.ProcessEnv {
  return { ...process.env, KIND_EXPERIMENTAL_DOCKER_NETWORK: network, KIND_EXPERIMENTAL_PROVIDER: "docker" };
}

/** Kind's own lines worth keeping in an error: its ERROR line and kubeadm's error, not Go stack frames. */
export function kindFailureSummary(output: string): string {
  const lines = output.split("\n").map((l) => l.trim());
  const picked = lines.filter((l) => /^(ERROR|error):|^Command Output:|failed to|could not/i.test(l)).slice(0, 4);
  return (picked.length ? picked : lines.filter(Boolean).slice(-4)).join(" | ").slice(0, 800);
}

export async function kindCreateCluster(c: KindCreate): Promise<void> {
  const r = await execa(
    c.kind,
    ["create", "cluster", "--name", c.name, "--image", c.image, "--config", c.configPath, "--kubeconfig", c.kubeconfigPath],
    { env: kindEnv(c.network), reject: false, all: true, cancelSignal: c.signal },
  );
  if (r.failed) {
    if (c.signal?.aborted) throw c.signal.reason instanceof Error ? c.signal.reason : new Error("aborted");
    throw new ProviderStartError(`kind create cluster ${c.name} failed: ${kindFailureSummary(String(r.all ?? ""))}`);
  }
}

/** Idempotent: deleting a cluster that does not exist succeeds (kind's own behaviour). */
export async function kindDeleteCluster(kind: string, name: string, kubeconfigPath?: string): Promise<void> {
  const args = ["delete", "cluster", "--name", name, ...(kubeconfigPath ? ["--kubeconfig", kubeconfigPath] : [])];
  const r = await execa(kind, args, { reject: false, all: true, env: { ...process.env, KIND_EXPERIMENTAL_PROVIDER: "docker" } });
  if (r.failed) throw new Error(`kind delete cluster ${name} failed: ${kindFailureSummary(String(r.all ?? ""))}`);
}

/** Last resort at process exit (synchronous): the node containers by kind's cluster label. */
export function removeKindClusterSync(name: string): void {
  const ids = spawnSync("docker", ["ps", "-aq", "--filter", `label=io.x-k8s.kind.cluster=${name}`], { encoding: "utf8", timeout: 10_000 });
  const list = String(ids.stdout ?? "").split("\n").filter(Boolean);
  if (list.length) spawnSync("docker", ["rm", "--force", "--volumes", ...list], { stdio: "ignore", timeout: 30_000 });
}

/** The node's address on the run's network (the apiserver listens on it, port 6443). */
export async function nodeAddress(container: string, network: string): Promise<string> {
  const r = await execa("docker", ["inspect", "--format", `{{(index .NetworkSettings.Networks "${network}").IPAddress}}`, container], { reject: false });
  const ip = r.stdout.trim();
  if (r.failed || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new ProviderStartError(`cannot find ${container}'s address on network ${network}: ${String(r.stderr).trim() || ip}`);
  return ip;
}

export async function containerPid(container: string): Promise<number | undefined> {
  const r = await execa("docker", ["inspect", "--format", "{{.State.Pid}}", container], { reject: false });
  const pid = Number(r.stdout.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}
