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

/** KIND's pinned release, built from the `sigs.k8s.io/kind` module when no `kind` is on PATH. */
export const KIND_VERSION = "0.33.0";

/** The Kubernetes programs impfuzz builds from `k8s.io/kubernetes` (the apiserver; the rest for kind node images). */
export type KubeComponent = "kube-apiserver" | "kube-controller-manager" | "kube-scheduler" | "kubelet" | "kubeadm" | "kubectl";
export const NODE_COMPONENTS: readonly KubeComponent[] = ["kube-controller-manager", "kube-scheduler", "kubelet", "kubeadm", "kubectl"];

export interface BuildRecipe {
  readonly binary: string;
  readonly version: string;
  readonly moduleDir: string;
  readonly mainPackage: string;
  readonly ldflags: readonly string[];
  /** Kubernetes programs also get buildDate stamped: the tag's publication date from the proxy. */
  readonly stampsKubeBuildDate: boolean;
}

export function kubeRecipe(component: KubeComponent, version: KubeVersion): BuildRecipe {
  const [major, minor] = version.split(".");
  const tag = `v${version}`;
  // Stamp both version packages as hack/lib/version.sh does, so /version (and kubeadm's, kubelet's
  // own version checks) report the real release; buildDate is the tag's date from the proxy, which
  // keeps rebuilds byte-identical.
  const stamp = (pkg: string): string[] => [
    `-X ${pkg}.gitVersion=${tag}`,
    `-X ${pkg}.gitMajor=${major}`,
    `-X ${pkg}.gitMinor=${minor}`,
    `-X ${pkg}.gitTreeState=clean`,
  ];
  return {
    binary: component,
    version,
    // One recipe module per Kubernetes version builds every component (its go.sum covers them all).
    moduleDir: join(RECIPES_DIR, `kubernetes-${tag}`),
    mainPackage: `k8s.io/kubernetes/cmd/${component}`,
    ldflags: ["-s", "-w", ...stamp("k8s.io/component-base/version"), ...stamp("k8s.io/client-go/pkg/version")],
    stampsKubeBuildDate: true,
  };
}

export function apiserverRecipe(version: KubeVersion): BuildRecipe {
  return kubeRecipe("kube-apiserver", version);
}

export function kindRecipe(): BuildRecipe {
  return {
    binary: "kind",
    version: KIND_VERSION,
    moduleDir: join(RECIPES_DIR, `kind-v${KIND_VERSION}`),
    mainPackage: "sigs.k8s.io/kind",
    ldflags: ["-s", "-w"],
    stampsKubeBuildDate: false,
  };
}

/**
 * The pod sandbox program of impfuzz's kind node images: impfuzz's own source (`harness/kube/pause`),
 * not a module from the proxy. Its version is the tag the image carries.
 */
export function pauseRecipe(tag: string): BuildRecipe {
  return {
    binary: "pause",
    version: tag,
    moduleDir: join(RECIPES_DIR, "..", "pause"),
    mainPackage: ".",
    ldflags: ["-s", "-w"],
    stampsKubeBuildDate: false,
  };
}

export function etcdRecipe(): BuildRecipe {
  return {
    binary: "etcd",
    version: ETCD_VERSION,
    moduleDir: join(RECIPES_DIR, `etcd-v${ETCD_VERSION}`),
    mainPackage: "go.etcd.io/etcd/server/v3",
    ldflags: ["-s", "-w", `-X go.etcd.io/etcd/api/v3/version.GitSHA=v${ETCD_VERSION}`],
    stampsKubeBuildDate: false,
  };
}

/** The recipe's go directive, so a too-old Go toolchain is reported before a long failing build. */
export function requiredGoVersion(recipe: BuildRecipe): string {
  const mod = readFileSync(join(recipe.moduleDir, "go.mod"), "utf8");
  return /^go\s+(\S+)/m.exec(mod)?.[1] ?? "0";
}
