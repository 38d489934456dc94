import type { ClusterSpec } from "../../cluster/provider.ts";
import { providerByName } from "../providers.ts";

/** Starts a cluster and keeps it until Ctrl-C/SIGTERM, which the CLI's signal handler turns into cleanup. */
export async function clusterUp(opts: ClusterSpec & { provider: string }, signal: AbortSignal): Promise<number> {
  const { provider: name, ...spec } = opts;
  const provider = providerByName(name);
  await provider.preflight?.(spec);
  const started = Date.now();
  const cluster = await provider.start(spec, signal);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const held =
    cluster.resources.containers.length > 0
      ? `its containers (${cluster.resources.containers.map((c) => (/^[0-9a-f]{64}$/.test(c) ? c.slice(0, 12) : c)).join(", ")}) and temp dirs are removed`
      : "every process and temp dir of this cluster is removed";
  process.stdout.write(
    [
      `kube-apiserver ${cluster.serverVersion} is ready (${secs}s, provider ${cluster.provider}), ConstrainedImpersonation=${spec.gate}`,
      ``,
      `admin (system:masters):   export KUBECONFIG=${cluster.adminKubeconfigPath}`,
      `mint a requestor token:   curl -s -XPOST ${cluster.mintEndpoint} -d '{"username":"alice","groups":["devs"],"extra":{"authentication.kubernetes.io/node-name":["node1"]}}'`,
      `use it:                   kubectl --token=<token> --as=someone get pods`,
      ``,
      `Stop with Ctrl-C: ${held}.`,
      ``,
    ].join("\n"),
  );
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await cluster.stop();
  return 0;
}
