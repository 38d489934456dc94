import { rm } from "node:fs/promises";
import { isImpfuzzTempDir, LABEL_COMPONENT, LABEL_OWNER_PID, LABEL_RUN, ownerIsDead } from "../testcontainers/owner.ts";
import { kindDeleteCluster } from "./kind-cli.ts";
import { networksWithLabel, removeNetwork } from "./kind-network.ts";

/** The network of a kind run is its owner record: cluster name, owner process, and its work dir. */
export const KIND_NETWORK_COMPONENT = "kind-network";
export const LABEL_WORK_DIR = "dev.impfuzz.work-dir";

export interface RemovedKindOrphan {
  readonly cluster: string;
  readonly ownerPid: string;
  readonly dirs: readonly string[];
}

/**
 * Deletes the kind clusters (nodes, their volumes), networks and temp dirs of impfuzz runs whose owner
 * process is gone: a SIGKILLed run, a crashed machine session. Clusters of live impfuzz processes and
 * anything impfuzz did not label are left alone.
 */
export async function removeKindOrphans(kind: string): Promise<RemovedKindOrphan[]> {
  const removed: RemovedKindOrphan[] = [];
  for (const n of await networksWithLabel(LABEL_RUN)) {
    if (n.labels[LABEL_COMPONENT] !== KIND_NETWORK_COMPONENT || !ownerIsDead(n.labels)) continue;
    await kindDeleteCluster(kind, n.name);
    await removeNetwork(n.name);
    const dir = n.labels[LABEL_WORK_DIR];
    const dirs = dir && isImpfuzzTempDir(dir) ? [dir] : [];
    for (const d of dirs) await rm(d, { recursive: true, force: true });
    removed.push({ cluster: n.name, ownerPid: n.labels[LABEL_OWNER_PID] ?? "?", dirs });
  }
  return removed;
}
