import { setTimeout as sleep } from "node:timers/promises";
import { applyObjects, deleteObjects, rbacBarrier } from "../../apply/index.ts";
import type { StartedCluster } from "../../cluster/provider.ts";
import { finishProbe, sendProbe } from "../../observe/index.ts";
import type { StatefulSystem } from "./stateful-model.ts";

/**
 * The real side over a started cluster: admin writes followed by the RBAC barrier, real sleeps, and
 * probes whose evaluation time is estimated as the middle of the round trip on `performance.now()`,
 * the clock the api client stamps responses with.
 */
export function clusterSystem(cluster: StartedCluster): StatefulSystem {
  return {
    capabilities: cluster.capabilities,
    now: () => performance.now(),
    async apply(manifests) {
      await applyObjects(cluster, manifests);
      await rbacBarrier(cluster);
    },
    async delete(refs) {
      await deleteObjects(cluster, refs);
      await rbacBarrier(cluster);
    },
    cleanup: (refs) => deleteObjects(cluster, refs),
    wait: async (ms) => {
      await sleep(ms);
    },
    async probe(requestor, request) {
      const sent = await sendProbe(cluster, { requestor, request });
      const result = await finishProbe(cluster, sent);
      const { sentAt, receivedAt } = sent.res;
      return { result, at: (sentAt + receivedAt) / 2, uncertaintyMs: (receivedAt - sentAt) / 2 };
    },
  };
}
