import { homedir } from "node:os";
import { join } from "node:path";

/**
 * Where built binaries live: outside the repo (a clean clone must not carry 150 MB of binaries and
 * every clone on a machine shares one build), following the XDG base-directory convention.
 * IMPFUZZ_CACHE_DIR overrides it, e.g. for CI caches.
 */
export function impfuzzCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.IMPFUZZ_CACHE_DIR) return env.IMPFUZZ_CACHE_DIR;
  const xdg = env.XDG_CACHE_HOME && env.XDG_CACHE_HOME.startsWith("/") ? env.XDG_CACHE_HOME : join(homedir(), ".cache");
  return join(xdg, "impfuzz");
}

export function binaryDir(version: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(impfuzzCacheDir(env), "bin", `v${version}`);
}
