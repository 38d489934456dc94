import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { KubeVersion } from "../../core/index.ts";

/**
 * The images the testcontainers provider runs. Names and tags are pinned in the `Dockerfile` beside
 * this file (one `FROM <image> AS <component>` line each), so a bump is a one-line diff and this code
 * never repeats them. Both are the official images: a user whose Docker reaches registry.k8s.io gets
 * them pulled on first use; offline, `impfuzz kube images` builds images of the same names locally.
 */
export const HERE = dirname(fileURLToPath(import.meta.url));
export const PINNED_DOCKERFILE = join(HERE, "Dockerfile");
/** The FROM-scratch recipe `impfuzz kube images` builds from (binary copied to its official path). */
export const SCRATCH_DOCKERFILE = join(HERE, "scratch.Dockerfile");

export type Component = "etcd" | "kube-apiserver";
export const COMPONENTS: readonly Component[] = ["etcd", "kube-apiserver"];

/** Where the official images keep the binaries; the provider names them as the entrypoint. */
export const BINARY_PATH: Readonly<Record<Component, string>> = {
  etcd: "/usr/local/bin/etcd",
  "kube-apiserver": "/usr/local/bin/kube-apiserver",
};

export interface PinnedImage {
  /** `registry.k8s.io/etcd` */
  readonly repository: string;
  /** `3.6.16-0` */
  readonly tag: string;
}

export function parsePinnedImages(dockerfile: string): Record<Component, PinnedImage> {
  const found = new Map<string, PinnedImage>();
  for (const line of dockerfile.split("\n")) {
    const m = /^\s*FROM\s+(\S+):([^\s:/]+)\s+AS\s+(\S+)\s*$/i.exec(line);
    if (m) found.set(m[3] as string, { repository: m[1] as string, tag: m[2] as string });
  }
  const out = {} as Record<Component, PinnedImage>;
  for (const c of COMPONENTS) {
    const p = found.get(c);
    if (!p) throw new Error(`${PINNED_DOCKERFILE} has no "FROM <image>:<tag> AS ${c}" line`);
    out[c] = p;
  }
  return out;
}

let pinned: Record<Component, PinnedImage> | undefined;
export function pinnedImages(): Record<Component, PinnedImage> {
  pinned ??= parsePinnedImages(readFileSync(PINNED_DOCKERFILE, "utf8"));
  return pinned;
}

/** `registry.k8s.io/etcd:3.6.16-0`: one etcd for every Kubernetes version, as for the local provider. */
export function etcdImage(): string {
  const p = pinnedImages().etcd;
  return `${p.repository}:${p.tag}`;
}

/** `registry.k8s.io/kube-apiserver:v1.37.2`: the pinned repository with the version asked for. */
export function apiserverImage(version: KubeVersion): string {
  return `${pinnedImages()["kube-apiserver"].repository}:v${version}`;
}

export function imageFor(component: Component, version: KubeVersion): string {
  return component === "etcd" ? etcdImage() : apiserverImage(version);
}
