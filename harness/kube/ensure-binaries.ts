import { type KubeVersion, UsageError } from "../core/index.ts";
import { type BuildProgress, type BuiltBinary, buildBinary } from "./build-binary.ts";
import { withBuildLock } from "./build-lock.ts";
import { binaryDir } from "./cache-dir.ts";
import { findBinaries, type KubeBinaries } from "./find-binaries.ts";
import { apiserverRecipe, etcdRecipe } from "./recipes.ts";

export interface EnsureOptions {
  readonly version: KubeVersion;
  /** Whether the caller named the version; then binaries found through envtest variables must match it. */
  readonly versionExplicit?: boolean;
  /** Rebuild even when cached binaries exist (`impfuzz kube build --force`). */
  readonly force?: boolean;
  readonly onProgress?: (p: BuildProgress) => void;
  readonly onWaitForLock?: (ownerPid: number) => void;
  readonly signal?: AbortSignal;
}

export interface EnsuredBinaries extends KubeBinaries {
  readonly built: readonly BuiltBinary[];
}

/** Finds binaries the envtest way, and builds the missing ones once (under a lock) into the cache. */
export async function ensureBinaries(opts: EnsureOptions): Promise<EnsuredBinaries> {
  if (!opts.force) {
    const found = await findBinaries(opts.version);
    if (found) {
      if (opts.versionExplicit && found.apiserverVersion !== `v${opts.version}`) {
        throw new UsageError(
          `${found.source} provides kube-apiserver ${found.apiserverVersion} but --kube-version ${opts.version} was asked for: point ${found.source} at ${opts.version} binaries, or drop --kube-version`,
        );
      }
      return { ...found, built: [] };
    }
  }
  const dir = binaryDir(opts.version);
  return withBuildLock(dir, opts.onWaitForLock ?? (() => {}), async () => {
    // Another process may have finished the build while we waited for the lock.
    const again = opts.force ? undefined : await findBinaries(opts.version);
    if (again) return { ...again, built: [] };
    const built: BuiltBinary[] = [];
    built.push(await buildBinary(etcdRecipe(), dir, opts.onProgress, opts.signal));
    built.push(await buildBinary(apiserverRecipe(opts.version), dir, opts.onProgress, opts.signal));
    const found = await findBinaries(opts.version);
    if (!found) throw new Error(`binaries built into ${dir} but not found there`);
    return { ...found, built };
  });
}
