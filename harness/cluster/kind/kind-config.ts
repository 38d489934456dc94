import { stringify } from "yaml";
import { harnessApiserverFlags } from "../apiserver-flags.ts";
import type { HarnessFiles } from "../harness-files.ts";

/** Where the harness files and the audit log live inside the node and the apiserver pod (same paths in both). */
export const NODE_FILES_DIR = "/etc/impfuzz";
export const NODE_AUDIT_DIR = "/var/log/impfuzz";
export const NODE_AUDIT_LOG = `${NODE_AUDIT_DIR}/audit.log`;

/** kubeadm reads `<component>+<patch type>.yaml` files from here (in the node) when it writes the static pods. */
export const NODE_KUBEADM_PATCHES_DIR = `${NODE_FILES_DIR}/kubeadm-patches`;
/** The file name kubeadm takes as a strategic-merge patch of kube-apiserver's static pod. */
export const APISERVER_PATCH_FILE = "kube-apiserver+strategic.yaml";

/**
 * kubelet's probes of kube-apiserver (/livez, /readyz every second) send no credentials, so each one
 * reaches the recorder as a SubjectAccessReview of `system:anonymous` — the very user the fuzzer
 * impersonates, whose checks the recorder could then not tell apart (found by the fuzzer on kind:
 * "server made unpredicted get"). With the admin token the probes are authorized by the
 * system:masters short-cut before any webhook, and the audit policy already drops them.
 */
export function apiserverProbePatch(adminToken: string): string {
  const withToken = { httpGet: { httpHeaders: [{ name: "Authorization", value: `Bearer ${adminToken}` }] } };
  return stringify({
    spec: { containers: [{ name: "kube-apiserver", livenessProbe: withToken, readinessProbe: withToken, startupProbe: withToken }] },
  });
}

/** An admission plugin kube-apiserver enables by default: naming it changes nothing but kubeadm's NodeRestriction. */
export const ADMISSION_LIKE_OTHER_PROVIDERS = "NamespaceLifecycle";

export interface KindConfigInputs {
  readonly gate: boolean;
  /** Harness files as the apiserver sees them (under NODE_FILES_DIR). */
  readonly files: HarnessFiles;
  /** This machine's directory holding the harness files, mounted read-only at NODE_FILES_DIR. */
  readonly filesHostDir: string;
  /** This machine's directory that receives the audit log, mounted at NODE_AUDIT_DIR. */
  readonly auditHostDir: string;
  /**
   * Set for impfuzz's offline node image, which has no CNI daemon image and ships its own etcd build;
   * unset for the official kindest/node images (kindnetd, kubeadm's default etcd).
   */
  readonly offline?: { readonly etcdTag: string };
}

/**
 * The kind cluster as data: one control-plane node whose kube-apiserver gets the same harness flags
 * as every other provider's (through kubeadm's extraArgs, merged by name with kind's own), reads the
 * harness files from a host directory and writes its audit log to another.
 *
 * - kube-proxy off: nothing here uses Services, and on machines without CAP_SYS_RESOURCE its
 *   privileged pod could not start anyway.
 * - kubelet accepts a cgroup v1 host (`failCgroupV1: false`): from 1.35 it refuses by default, and
 *   the CI machines are cgroup v1; on v2 the setting does nothing.
 * - kubeadm's `--enable-admission-plugins=NodeRestriction` is replaced by a plugin that is on by
 *   default anyway: the other providers run the apiserver's default admission chain, and with
 *   NodeRestriction an impersonated node's dry-run pod creation that authorization allowed came back
 *   403 from admission ("node ... can only create mirror pods"), which the oracle (an authorization
 *   model) rightly does not predict. Found by the fuzzer on the first kind run.
 */
export function kindConfig(i: KindConfigInputs): Record<string, unknown> {
  const args = [
    ...harnessApiserverFlags({ files: i.files, auditLogPath: NODE_AUDIT_LOG, gate: i.gate }).entries(),
    ["enable-admission-plugins", [ADMISSION_LIKE_OTHER_PROVIDERS]] as [string, readonly string[]],
  ];
  const apiServer = (extraArgs: unknown) => ({
    extraArgs,
    extraVolumes: [
      { name: "impfuzz-files", hostPath: NODE_FILES_DIR, mountPath: NODE_FILES_DIR, readOnly: true, pathType: "Directory" },
      { name: "impfuzz-audit", hostPath: NODE_AUDIT_DIR, mountPath: NODE_AUDIT_DIR, pathType: "DirectoryOrCreate" },
    ],
  });
  const etcd = i.offline ? { etcd: { local: { imageTag: i.offline.etcdTag } } } : {};
  // kind renders kubeadm's v1beta4 (extraArgs a list of name/value) or, for older Kubernetes (kind
  // v0.33: before 1.36), v1beta3 (extraArgs a map). A patch naming its apiVersion applies only to
  // that one, so both are given and kind picks.
  const v1beta4 = {
    apiVersion: "kubeadm.k8s.io/v1beta4",
    kind: "ClusterConfiguration",
    apiServer: apiServer(args.flatMap(([name, values]) => values.map((value) => ({ name, value })))),
    ...etcd,
  };
  const v1beta3 = {
    apiVersion: "kubeadm.k8s.io/v1beta3",
    kind: "ClusterConfiguration",
    apiServer: apiServer(Object.fromEntries(args.map(([name, values]) => [name, values.join(",")]))),
    ...etcd,
  };
  return {
    kind: "Cluster",
    apiVersion: "kind.x-k8s.io/v1alpha4",
    featureGates: { ConstrainedImpersonation: i.gate },
    networking: { kubeProxyMode: "none", ...(i.offline ? { disableDefaultCNI: true } : {}) },
    nodes: [
      {
        role: "control-plane",
        extraMounts: [
          { hostPath: i.filesHostDir, containerPath: NODE_FILES_DIR, readOnly: true },
          { hostPath: i.auditHostDir, containerPath: NODE_AUDIT_DIR },
        ],
      },
    ],
    kubeadmConfigPatches: [
      stringify(v1beta4),
      stringify(v1beta3),
      // The probe patch (apiserverProbePatch) is a file in the mounted harness dir.
      stringify({ kind: "InitConfiguration", patches: { directory: NODE_KUBEADM_PATCHES_DIR } }),
      stringify({ kind: "KubeletConfiguration", failCgroupV1: false }),
    ],
  };
}

export function kindConfigYaml(i: KindConfigInputs): string {
  return stringify(kindConfig(i));
}
