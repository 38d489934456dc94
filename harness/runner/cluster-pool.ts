import { readWorld } from "../apply/index.ts";
import type { ClusterProvider, ClusterSpec, StartedCluster } from "../cluster/provider.ts";
import type { World } from "../core/index.ts";

/**
 * Clusters started on demand, one per gate value, shared by every scenario that needs that gate, and
 * the bootstrap world each held when it started (read once: scenarios delete what they apply).
 */
export class ClusterPool {
  private readonly clusters = new Map<boolean, Promise<StartedCluster>>();
  private readonly worlds = new WeakMap<StartedCluster, Promise<World>>();

  constructor(
    private readonly provider: ClusterProvider,
    private readonly spec: Omit<ClusterSpec, "gate">,
    private readonly signal?: AbortSignal,
  ) {}

  clusterFor(gate: boolean): Promise<StartedCluster> {
    let c = this.clusters.get(gate);
    if (!c) {
      c = this.provider.start({ ...this.spec, gate }, this.signal);
      this.clusters.set(gate, c);
    }
    return c;
  }

  baseWorldFor(cluster: StartedCluster): Promise<World> {
    let w = this.worlds.get(cluster);
    if (!w) {
      w = readWorld(cluster);
      this.worlds.set(cluster, w);
    }
    return w;
  }

  started(): Promise<StartedCluster[]> {
    return Promise.all([...this.clusters.values()].map((c) => c.catch(() => undefined))).then((cs) =>
      cs.filter((c): c is StartedCluster => c !== undefined),
    );
  }

  async stopAll(): Promise<void> {
    for (const c of await this.started()) await c.stop();
    this.clusters.clear();
  }
}
