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
      return new LazyProvider("testcontainers", async () => {
        const m = await import("../cluster/testcontainers/testcontainers-provider.ts");
        return new m.TestcontainersProvider({
          onOrphansRemoved: (removed) => {
            for (const r of removed) reportOrphan(`${r.component} container ${r.id.slice(0, 12)}`, r.dirs, r.ownerPid);
          },
        });
      });
    case "kind":
      return new LazyProvider("kind", async () => {
        const m = await import("../cluster/kind/kind-provider.ts");
        return new m.KindProvider({
          onBuildProgress: buildProgressReporter(),
          onOrphansRemoved: (removed) => {
            for (const r of removed) reportOrphan(`kind cluster ${r.cluster}`, r.dirs, r.ownerPid);
          },
        });
      });
    default:
      throw new UsageError(`unknown provider "${name}": use one of ${PROVIDER_NAMES.join(", ")} (--provider)`);
  }
}

function reportOrphan(what: string, dirs: readonly string[], ownerPid: string): void {
  const also = dirs.length ? ` and ${dirs.join(", ")}` : "";
  process.stderr.write(`impfuzz: removed ${what}${also}, left by impfuzz pid ${ownerPid}, which is gone\n`);
}

type LoadedProvider = ClusterProvider & { preflight(spec: Pick<ClusterSpec, "version">): Promise<unknown> };

/**
 * Loads a provider's module (testcontainers and dockerode, the kind provider) only when a command
 * really uses it, so `--provider local` never pays for them.
 */
class LazyProvider implements ClusterProvider {
  private provider: Promise<LoadedProvider> | undefined;

  constructor(
    readonly name: string,
    private readonly loader: () => Promise<LoadedProvider>,
  ) {}

  private load(): Promise<LoadedProvider> {
    this.provider ??= this.loader();
    return this.provider;
  }

  async preflight(spec: Pick<ClusterSpec, "version">): Promise<void> {
    await (await this.load()).preflight(spec);
  }

  async start(spec: ClusterSpec, signal?: AbortSignal): Promise<StartedCluster> {
    return (await this.load()).start(spec, signal);
  }
}
