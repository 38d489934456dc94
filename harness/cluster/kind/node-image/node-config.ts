import type { KubeVersion } from "../../../core/index.ts";
import { pauseTag, REGISTRY } from "./pins.ts";

/** Files of the node's root file system that depend on the version; the rest are static, under rootfs/. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
  readonly mode: number;
}

/**
 * containerd's CRI configuration. Beyond kind's usual settings (overlayfs, runc v2 with the systemd
 * cgroup driver, the pinned sandbox image):
 * - `restrict_oom_score_adj = true`: the sandbox of every pod asks for oom_score_adj -998, and lowering
 *   it needs CAP_SYS_RESOURCE, which a node container cannot have where the machine's bounding set
 *   lacks it (runc then dies with "can't get final child's PID from pipe"); containerd clamps instead.
 * - the CNI plugins are Debian's, in /usr/lib/cni.
 */
export function containerdConfig(version: KubeVersion): string {
  return `# Rendered by impfuzz (harness/cluster/kind/node-image/node-config.ts).
version = 2

[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${REGISTRY}/pause:${pauseTag(version)}"
  tolerate_missing_hugepages_controller = true
  restrict_oom_score_adj = true

  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    discard_unpacked_layers = true

    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = true

  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "/etc/cni/net.d"
`;
}

/** Units started at boot (as `systemctl enable` would link them). */
export const ENABLED_UNITS = ["kubelet.service", "impfuzz-import-images.service"] as const;

/**
 * Units masked (linked to /dev/null): gettys would take over the console that kind reads systemd's
 * "Reached target Multi-User System" from; the rest are periodic host chores a throwaway node never needs.
 */
export const MASKED_UNITS = [
  "console-getty.service",
  "getty@.service",
  "systemd-logind.service",
  "apt-daily.timer",
  "apt-daily-upgrade.timer",
  "dpkg-db-backup.timer",
  "e2scrub_all.timer",
  "e2scrub_reap.service",
] as const;

export function renderedNodeFiles(version: KubeVersion): RenderedFile[] {
  return [
    { path: "etc/containerd/config.toml", content: containerdConfig(version), mode: 0o644 },
    // kind reads the node's Kubernetes version from here to pick its kubeadm config template.
    { path: "kind/version", content: `v${version}\n`, mode: 0o644 },
  ];
}
