import { LocalProvider } from "../cluster/local/local-provider.ts";
import type { ClusterProvider, ClusterSpec, StartedCluster } from "../cluster/provider.ts";
import { UsageError } from "../core/index.ts";
import { buildProgressReporter } from "./build-progress.ts";
import { PROVIDER_NAMES } from "./provider-names.ts";

export { PROVIDER_NAMES } from "./provider-names.ts";

/** `--provider` → a provider; unknown names fail before anything starts. */
export function providerByName(name: string): ClusterProvider {
  switch (name) {
    case "local":
      return new LocalProvider({ onBuildProgress: buildProgressReporter() });
    case "testcontainers":
      return new LazyTestcontainersProvider();
    case "kind":
      return new LazyKindProvider();
    default:
      throw new UsageError(`unknown provider "${name}": use one of ${PROVIDER_NAMES.join(", ")} (--provider)`);
  }
}

/** Loads testcontainers (and dockerode) only when a command really uses that provider. */
class LazyTestcontainersProvider implements ClusterProvider {
  readonly name = "testcontainers";
  private provider: Promise<ClusterProvider & { preflight(spec: Pick<ClusterSpec, "version">): Promise<unknown> }> | undefined;

  private load() {
    this.provider ??= import("../cluster/testcontainers/testcontainers-provider.ts").then(
      (m) =>
        new m.TestcontainersProvider({
          onOrphansRemoved: (removed) => {
            for (const r of removed) {
              const dirs = r.dirs.length ? ` and ${r.dirs.join(", ")}` : "";
              process.stderr.write(`impfuzz: removed ${r.component} container ${r.id.slice(0, 12)}${dirs}, left by impfuzz pid ${r.ownerPid}, which is gone\n`);
            }
          },
        }),
    );
    return this.provider;
  }

  async preflight(spec: Pick<ClusterSpec, "version">): Promise<void> {
    await (await this.load()).preflight(spec);
  }

  async start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster> {
    return (await this.load()).start(spec, signal);
  }
}

/** Loads the kind provider only when a command uses it. */
class LazyKindProvider implements ClusterProvider {
  readonly name = "kind";
  private provider: Promise<ClusterProvider & { preflight(spec: Pick<ClusterSpec, "version">): Promise<unknown> }> | undefined;

  private load() {
    this.provider ??= import("../cluster/kind/kind-provider.ts").then(
      (m) =>
        new m.KindProvider({
          onBuildProgress: buildProgressReporter(),
          onOrphansRemoved: (removed) => {
            for (const r of removed) {
              const dirs = r.dirs.length ? ` and ${r.dirs.join(", ")}` : "";
              process.stderr.write(`impfuzz: deleted kind cluster ${r.cluster}${dirs}, left by impfuzz pid ${r.ownerPid}, which is gone\n`);
            }
          },
        }),
    );
    return this.provider;
  }

  async preflight(spec: Pick<ClusterSpec, "version">): Promise<void> {
    await (await this.load()).preflight(spec);
  }

  async start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster> {
    return (await this.load()).start(spec, signal);
  }
}
