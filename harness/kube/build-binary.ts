import { chmod, mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { BuildError } from "../core/index.ts";
import { goVersion, goVersionAtLeast } from "./go-toolchain.ts";
import { type BuildRecipe, requiredGoVersion } from "./recipes.ts";

export interface BuildProgress {
  readonly binary: string;
  readonly phase: "resolving" | "compiling" | "linking" | "done";
  /** Packages compiled so far (cached packages are never printed by `go build -v`). */
  readonly compiled: number;
  /** Packages in the binary's dependency graph: an upper bound for `compiled`. */
  readonly total: number;
}

export interface BuiltBinary {
  readonly path: string;
  readonly seconds: number;
  readonly bytes: number;
}

/**
 * Builds one binary from its recipe module with `go build` into `outDir`. The output is written to a
 * temporary name and renamed, so an interrupted build never leaves a half-written binary behind that
 * a later run would mistake for a good one.
 */
export async function buildBinary(
  recipe: BuildRecipe,
  outDir: string,
  onProgress: (p: BuildProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<BuiltBinary> {
  const need = requiredGoVersion(recipe);
  const have = await goVersion();
  if (!goVersionAtLeast(have, need)) {
    throw new BuildError(
      `${recipe.binary} v${recipe.version} needs Go ≥ ${need} but ${have} is installed: install a newer Go, pick an older --kube-version, or provide binaries via KUBEBUILDER_ASSETS`,
    );
  }
  const started = Date.now();
  await mkdir(outDir, { recursive: true });
  const env = { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly", GOTOOLCHAIN: "local" };
  onProgress({ binary: recipe.binary, phase: "resolving", compiled: 0, total: 0 });
  const total = await countPackages(recipe, env, signal);
  const date = await releaseDate(recipe);
  const ldflags = [
    ...recipe.ldflags,
    ...(recipe.stampsKubeBuildDate
      ? [`-X k8s.io/component-base/version.buildDate=${date}`, `-X k8s.io/client-go/pkg/version.buildDate=${date}`]
      : []),
  ];
  const tmp = join(outDir, `.${recipe.binary}.${process.pid}.tmp`);
  let compiled = 0;
  const child = execa(
    "go",
    ["build", "-v", "-trimpath", "-ldflags", ldflags.join(" "), "-o", tmp, recipe.mainPackage],
    { cwd: recipe.moduleDir, env, cancelSignal: signal, all: true, reject: false },
  );
  const tail: string[] = [];
  child.all?.setEncoding("utf8");
  let partial = "";
  child.all?.on("data", (chunk: string) => {
    const lines = (partial + chunk).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      tail.push(line);
      if (tail.length > 40) tail.shift();
      if (/^[\w.\-/]+$/.test(line.trim())) {
        compiled++;
        onProgress({ binary: recipe.binary, phase: compiled >= total ? "linking" : "compiling", compiled, total });
      }
    }
  });
  const result = await child;
  if (result.failed) {
    await rm(tmp, { force: true });
    if (signal?.aborted) throw new BuildError(`build of ${recipe.binary} v${recipe.version} was interrupted`);
    throw new BuildError(
      `go build of ${recipe.binary} v${recipe.version} failed (exit ${result.exitCode}) in ${recipe.moduleDir}: ${tail.slice(-8).join(" | ")}`,
    );
  }
  const final = join(outDir, recipe.binary);
  await chmod(tmp, 0o755);
  await rename(tmp, final);
  const bytes = (await stat(final)).size;
  onProgress({ binary: recipe.binary, phase: "done", compiled, total });
  return { path: final, seconds: (Date.now() - started) / 1000, bytes };
}

async function countPackages(recipe: BuildRecipe, env: NodeJS.ProcessEnv, signal?: AbortSignal): Promise<number> {
  const r = await execa("go", ["list", "-deps", recipe.mainPackage], {
    cwd: recipe.moduleDir,
    env,
    cancelSignal: signal,
    reject: false,
  });
  if (r.failed) {
    throw new BuildError(
      `cannot resolve ${recipe.mainPackage} in ${recipe.moduleDir} (is the Go module proxy reachable?): ${String(r.stderr).split("\n").slice(-3).join(" | ")}`,
    );
  }
  return r.stdout.split("\n").filter(Boolean).length;
}

/** The tag's publication time from the module proxy's .info, or a fixed date when it is not cached. */
async function releaseDate(recipe: BuildRecipe): Promise<string> {
  if (!recipe.stampsKubeBuildDate) return "1970-01-01T00:00:00Z";
  const { stdout } = await execa("go", ["env", "GOMODCACHE"]);
  const info = join(stdout.trim(), "cache", "download", "k8s.io", "kubernetes", "@v", `v${recipe.version}.info`);
  try {
    const t = (JSON.parse(await readFile(info, "utf8")) as { Time?: string }).Time;
    return t ? t.replace(/\.\d+Z$/, "Z") : "1970-01-01T00:00:00Z";
  } catch {
    return "1970-01-01T00:00:00Z";
  }
}
