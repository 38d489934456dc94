import { LocalProvider } from "../cluster/local/local-provider.ts";
import type { ClusterProvider, StartedCluster } from "../cluster/provider.ts";
import { DEFAULT_KUBE_VERSION, parseKubeVersion } from "../core/index.ts";

/** The version integration tests run against (IMPFUZZ_KUBE_VERSION, else the default). */
export const TEST_KUBE_VERSION = parseKubeVersion(process.env.IMPFUZZ_KUBE_VERSION ?? DEFAULT_KUBE_VERSION);

export function startTestCluster(gate: boolean, provider: ClusterProvider = new LocalProvider()): Promise<StartedCluster> {
  return provider.start({ version: TEST_KUBE_VERSION, gate });
}

let counter = 0;
/** A requestor name no other probe of this process uses: fresh mode-index entry and cold caches. */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${counter}`;
}
