import { LocalProvider } from "../../cluster/local/local-provider.ts";
import type { ClusterSpec } from "../../cluster/provider.ts";
import { buildProgressReporter } from "../build-progress.ts";

/** Starts a cluster and keeps it until Ctrl-C/SIGTERM, which the CLI's signal handler turns into cleanup. */
export async function clusterUp(spec: ClusterSpec, signal: AbortSignal): Promise<number> {
  const started = Date.now();
  const cluster = await new LocalProvider({ onBuildProgress: buildProgressReporter() }).start(spec, signal);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    [
      `kube-apiserver ${cluster.serverVersion} is ready (${secs}s), ConstrainedImpersonation=${spec.gate}`,
      ``,
      `admin (system:masters):   export KUBECONFIG=${cluster.adminKubeconfigPath}`,
      `mint a requestor token:   curl -s -XPOST ${cluster.mintEndpoint} -d '{"username":"alice","groups":["devs"],"extra":{"authentication.kubernetes.io/node-name":["node1"]}}'`,
      `use it:                   kubectl --token=<token> --as=someone get pods`,
      ``,
      `Stop with Ctrl-C: every process and temp dir of this cluster is removed.`,
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
