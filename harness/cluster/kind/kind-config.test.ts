import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import type { HarnessFiles } from "../harness-files.ts";
import { apiserverProbePatch, kindConfig, kindConfigYaml, NODE_AUDIT_DIR, NODE_AUDIT_LOG, NODE_FILES_DIR, NODE_KUBEADM_PATCHES_DIR } from "./kind-config.ts";

const files: HarnessFiles = {
  authorizationConfig: `${NODE_FILES_DIR}/authorization-config.yaml`,
  authnWebhookKubeconfig: `${NODE_FILES_DIR}/authn-webhook.kubeconfig`,
  auditPolicy: `${NODE_FILES_DIR}/audit-policy.yaml`,
  tokenAuthFile: `${NODE_FILES_DIR}/tokens.csv`,
  serviceAccountKey: `${NODE_FILES_DIR}/sa.key`,
  adminToken: "t",
};

const base = { gate: true, files, filesHostDir: "/tmp/impfuzz-cluster-x", auditHostDir: "/tmp/impfuzz-cluster-x/audit" };

function patches(cfg: Record<string, unknown>): Record<string, any>[] {
  return (cfg.kubeadmConfigPatches as string[]).map((p) => parse(p) as Record<string, any>);
}

const V4 = "kubeadm.k8s.io/v1beta4";
const V3 = "kubeadm.k8s.io/v1beta3";
function clusterPatch(cfg: Record<string, unknown>, apiVersion = V4): Record<string, any> | undefined {
  return patches(cfg).find((p) => p.kind === "ClusterConfiguration" && p.apiVersion === apiVersion);
}

describe("kind cluster config", () => {
  it("gives kube-apiserver the harness flags as kubeadm extraArgs, reading the mounted harness files", () => {
    const cfg = kindConfig(base);
    const cluster = clusterPatch(cfg);
    const args = Object.fromEntries((cluster?.apiServer.extraArgs as { name: string; value: string }[]).map((a) => [a.name, a.value]));
    // kind uses kubeadm v1beta3 for older Kubernetes (before 1.36 in kind v0.33): the same flags as a map.
    expect(clusterPatch(cfg, V3)?.apiServer.extraArgs).toEqual(args);
    expect(clusterPatch(cfg, V3)?.apiServer.extraVolumes).toEqual(cluster?.apiServer.extraVolumes);
    expect(args).toMatchObject({
      "authorization-config": `${NODE_FILES_DIR}/authorization-config.yaml`,
      "authentication-token-webhook-config-file": `${NODE_FILES_DIR}/authn-webhook.kubeconfig`,
      "token-auth-file": `${NODE_FILES_DIR}/tokens.csv`,
      "audit-log-path": NODE_AUDIT_LOG,
      "feature-gates": "ConstrainedImpersonation=true",
      "enable-priority-and-fairness": "false",
      // kubeadm's NodeRestriction is replaced: admission must be the same as on the other providers.
      "enable-admission-plugins": "NamespaceLifecycle",
    });
    // The node serves and signs with kubeadm's own certs and keys, not the local providers' flags.
    expect(args).not.toHaveProperty("secure-port");
    expect(args).not.toHaveProperty("service-account-key-file");
    expect(cluster?.apiServer.extraVolumes).toEqual([
      { name: "impfuzz-files", hostPath: NODE_FILES_DIR, mountPath: NODE_FILES_DIR, readOnly: true, pathType: "Directory" },
      { name: "impfuzz-audit", hostPath: NODE_AUDIT_DIR, mountPath: NODE_AUDIT_DIR, pathType: "DirectoryOrCreate" },
    ]);
    expect(cfg.nodes).toEqual([
      {
        role: "control-plane",
        extraMounts: [
          { hostPath: base.filesHostDir, containerPath: NODE_FILES_DIR, readOnly: true },
          { hostPath: base.auditHostDir, containerPath: NODE_AUDIT_DIR },
        ],
      },
    ]);
    expect(patches(cfg).find((p) => p.kind === "KubeletConfiguration")).toEqual({ kind: "KubeletConfiguration", failCgroupV1: false });
    expect(patches(cfg).find((p) => p.kind === "InitConfiguration")).toEqual({ kind: "InitConfiguration", patches: { directory: NODE_KUBEADM_PATCHES_DIR } });
  });

  it("sets the gate for every component, off as explicitly as on", () => {
    const off = kindConfig({ ...base, gate: false });
    expect(off.featureGates).toEqual({ ConstrainedImpersonation: false });
    const args = clusterPatch(off)?.apiServer.extraArgs as { name: string; value: string }[];
    expect(args.find((a) => a.name === "feature-gates")?.value).toBe("ConstrainedImpersonation=false");
  });

  it("pins etcd and drops the default CNI only for impfuzz's offline node image", () => {
    const official = kindConfig(base);
    expect(official.networking).toEqual({ kubeProxyMode: "none" });
    expect(clusterPatch(official)).not.toHaveProperty("etcd");
    const offline = kindConfig({ ...base, offline: { etcdTag: "3.6.16-0" } });
    expect(offline.networking).toEqual({ kubeProxyMode: "none", disableDefaultCNI: true });
    expect(clusterPatch(offline)?.etcd).toEqual({ local: { imageTag: "3.6.16-0" } });
    expect(clusterPatch(offline, V3)?.etcd).toEqual({ local: { imageTag: "3.6.16-0" } });
  });

  it("renders YAML that reads back as the same config", () => {
    expect(parse(kindConfigYaml(base))).toEqual(kindConfig(base));
  });

  it("gives kubelet's probes of kube-apiserver the admin token, so they never reach the recorder as system:anonymous", () => {
    const patch = parse(apiserverProbePatch("tok")) as { spec: { containers: Record<string, any>[] } };
    const [c] = patch.spec.containers;
    expect(c?.name).toBe("kube-apiserver");
    for (const probe of ["livenessProbe", "readinessProbe", "startupProbe"]) {
      expect(c?.[probe]).toEqual({ httpGet: { httpHeaders: [{ name: "Authorization", value: "Bearer tok" }] } });
    }
  });
});
