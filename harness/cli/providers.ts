import { LocalProvider } from "../cluster/local/local-provider.ts";
import type { ClusterProvider } from "../cluster/provider.ts";
import { UsageError } from "../core/index.ts";
import { buildProgressReporter } from "./build-progress.ts";

export const PROVIDER_NAMES = ["local"] as const;

/** `--provider` → a provider; unknown names fail before anything starts. */
export function providerByName(name: string): ClusterProvider {
  switch (name) {
    case "local":
      return new LocalProvider({ onBuildProgress: buildProgressReporter() });
    default:
      throw new UsageError(`unknown provider "${name}": use one of ${PROVIDER_NAMES.join(", ")} (--provider)`);
  }
}
