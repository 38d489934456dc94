import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { DEFAULT_KUBE_VERSION } from "../../core/index.ts";
import { ETCD_VERSION } from "../../kube/index.ts";
import { apiserverImage, etcdImage, parsePinnedImages, pinnedImages, SCRATCH_DOCKERFILE } from "./images.ts";

describe("pinned images", () => {
  it("are the official names, with the etcd impfuzz builds and the default Kubernetes version", () => {
    const p = pinnedImages();
    expect(p.etcd).toEqual({ repository: "registry.k8s.io/etcd", tag: `${ETCD_VERSION}-0` });
    expect(p["kube-apiserver"]).toEqual({ repository: "registry.k8s.io/kube-apiserver", tag: `v${DEFAULT_KUBE_VERSION}` });
    expect(etcdImage()).toBe(`registry.k8s.io/etcd:${ETCD_VERSION}-0`);
    expect(apiserverImage("1.35.4")).toBe("registry.k8s.io/kube-apiserver:v1.35.4");
  });

  it("rejects a Dockerfile without a line for each component", () => {
    expect(() => parsePinnedImages("FROM registry.k8s.io/etcd:3.6.16-0 AS etcd\n")).toThrow(/AS kube-apiserver/);
  });

  it("builds offline images FROM scratch, without a syntax line that would make BuildKit pull", () => {
    const recipe = readFileSync(SCRATCH_DOCKERFILE, "utf8");
    expect(recipe).toMatch(/^FROM scratch$/m);
    expect(recipe).not.toMatch(/^#\s*syntax=/m);
    expect(recipe).toMatch(/^COPY \$\{BINARY\} \/usr\/local\/bin\/\$\{BINARY\}$/m);
  });
});
