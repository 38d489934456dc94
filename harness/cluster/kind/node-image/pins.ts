import type { KubeVersion } from "../../../core/index.ts";
import { ETCD_VERSION } from "../../../kube/index.ts";

/**
 * What kubeadm of each version expects to find in the node's containerd (its `PauseVersion`
 * constant), and the names impfuzz's offline node image gives its images. kubeadm's default etcd tag
 * differs per version too (3.7.0-0 for 1.37); impfuzz ships the one etcd it builds for every version
 * and tells kubeadm so through the cluster config (`etcd.local.imageTag`), rather than mislabel it.
 */
const PAUSE_TAG: Readonly<Record<KubeVersion, string>> = {
  "1.35.4": "3.10.1",
  "1.36.3": "3.10.2",
  "1.37.2": "3.10.2",
};

export const REGISTRY = "registry.k8s.io";

export function pauseTag(version: KubeVersion): string {
  return PAUSE_TAG[version];
}

export const ETCD_TAG = `${ETCD_VERSION}-0`;

/** The official node image of a version, as users with a registry get it from kind. */
export function officialNodeImage(version: KubeVersion): string {
  return `kindest/node:v${version}`;
}

/** impfuzz's offline-built node image: the official name with a local tag that no registry has. */
export function localNodeImage(version: KubeVersion): string {
  return `kindest/node:v${version}-impfuzz`;
}

/** Labels on impfuzz's node images, read by the provider to render a matching cluster config. */
export const LABEL_NODE_INPUTS = "dev.impfuzz.node-image-inputs";
export const LABEL_NODE_ETCD_TAG = "dev.impfuzz.etcd-tag";
export const LABEL_NODE_KUBE_VERSION = "dev.impfuzz.kube-version";
