import { delimiter, join } from "node:path";
import { execa } from "execa";
import { BinaryNotFoundError } from "../../core/index.ts";
import { type BuildProgress, buildBinary, executable, impfuzzCacheDir, KIND_VERSION, kindRecipe, withBuildLock } from "../../kube/index.ts";

export interface KindBinary {
  readonly path: string;
  /** `v0.33.0` as the binary reports it. */
  readonly version: string;
  readonly source: "IMPFUZZ_KIND" | "PATH" | "cache";
}

/** kind releases before this one cannot render kubeadm v1beta4 configs for the Kubernetes versions impfuzz supports. */
const MIN_KIND_MINOR = 27;


async function versionOf(path: string): Promise<string | undefined> {
  const r = await execa(path, ["version"], { reject: false, timeout: 10_000 });
  return /kind (v\d+\.\d+\.\d+\S*)/.exec(r.stdout)?.[1];
}

function tooOld(version: string): boolean {
  const m = /^v0\.(\d+)\./.exec(version);
  return m !== null && Number(m[1]) < MIN_KIND_MINOR;
}

export function kindCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(impfuzzCacheDir(env), "bin", `kind-v${KIND_VERSION}`);
}

/**
 * The kind CLI: `IMPFUZZ_KIND` if set (must work), else a `kind` on PATH (what users with kind
 * installed expect to be used), else kind v0.33.0 built once from the `sigs.k8s.io/kind` module into
 * impfuzz's binary cache.
 */
export async function ensureKind(
  opts: { onProgress?: (p: BuildProgress) => void; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<KindBinary> {
  const env = opts.env ?? process.env;
  if (env.IMPFUZZ_KIND) {
    const version = (await executable(env.IMPFUZZ_KIND)) ? await versionOf(env.IMPFUZZ_KIND) : undefined;
    if (!version) throw new BinaryNotFoundError(`IMPFUZZ_KIND=${env.IMPFUZZ_KIND} is not a kind binary: point it at one, or unset it to use kind from PATH or build it`);
    return { path: env.IMPFUZZ_KIND, version, source: "IMPFUZZ_KIND" };
  }
  for (const dir of (env.PATH ?? "").split(delimiter).filter(Boolean)) {
    const candidate = join(dir, "kind");
    if (!(await executable(candidate))) continue;
    const version = await versionOf(candidate);
    if (version && !tooOld(version)) return { path: candidate, version, source: "PATH" };
    if (version) {
      throw new BinaryNotFoundError(`${candidate} is kind ${version}, older than v0.${MIN_KIND_MINOR}: upgrade it, or set IMPFUZZ_KIND to a newer kind`);
    }
  }
  const dir = kindCacheDir(env);
  const cached = join(dir, "kind");
  if (!(await executable(cached))) {
    await withBuildLock(dir, () => {}, async () => {
      if (!(await executable(cached))) await buildBinary(kindRecipe(), dir, opts.onProgress, opts.signal);
    });
  }
  const version = await versionOf(cached);
  if (!version) throw new BinaryNotFoundError(`${cached} does not answer \`kind version\`: delete it so impfuzz rebuilds it`);
  return { path: cached, version, source: "cache" };
}
