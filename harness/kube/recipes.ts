import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { KubeVersion } from "../core/index.ts";

/**
 * The committed go.mod/go.sum pairs that drive `go build`. They are build recipes, not vendored code:
 * the sources come from the Go module proxy at build time.
 */
const RECIPES_DIR = join(dirname(fileURLToPath(import.meta.url)), "recipes");

/** The etcd the harness pairs with every Kubernetes version: the newest 3.6.x the proxy serves. */
export const ETCD_VERSION = "3.6.16";

export interface BuildRecipe {
  readonly binary: "kube-apiserver" | "etcd";
  readonly version: string;
  readonly moduleDir: string;
  readonly mainPackage: string;
  readonly ldflags: readonly string[];
}

export function apiserverRecipe(version: KubeVersion): BuildRecipe {
  const [major, minor] = version.split(".");
  const tag = `v${version}`;
  // Stamp both version packages as hack/lib/version.sh does, so /version reports the real release;
  // buildDate is the tag's date from the proxy, which keeps rebuilds byte-identical.
  const stamp = (pkg: string): string[] => [
    `-X ${pkg}.gitVersion=${tag}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ];
  return {
    binary: "kube-apiserver",
    version,
    moduleDir: join(RECIPES_DIR, `kubernetes-${tag}`),
    mainPackage: "k8s.io/kubernetes/cmd/kube-apiserver",
    ldflags: ["-s", "-w", ...stamp("k8s.io/component-base/version"), ...stamp("k8s.io/client-go/pkg/version")],
  };
}

export function etcdRecipe(): BuildRecipe {
  return {
    binary: "etcd",
    version: ETCD_VERSION,
    moduleDir: join(RECIPES_DIR, `etcd-v${ETCD_VERSION}`),
    mainPackage: "go.etcd.io/etcd/server/v3",
    ldflags: ["-s", "-w", `-X go.etcd.io/etcd/api/v3/version.GitSHA=v${ETCD_VERSION}`],
  };
}

/** The recipe's go directive, so a too-old Go toolchain is reported before a long failing build. */
export function requiredGoVersion(recipe: BuildRecipe): string {
  const mod = readFileSync(join(recipe.moduleDir, "go.mod"), "utf8");
  return /^go\s+(\S+)/m.exec(mod)?.[1] ?? "0";
}
