import { describe, expect, it } from "vitest";
import { userInfo, type CheckAttributes, type KubeVersion } from "../../core/index.ts";
import { pathCheck, resourceCheck, world } from "../rbac/test-world.ts";
import { nodeAuthorizer } from "./node-authorizer.ts";

const n1 = userInfo("system:node:n1", { groups: ["system:nodes", "system:authenticated"] });
const w = world({
  nodes: ["n1", "n2"],
  pods: [
    { namespace: "ns", name: "web", nodeName: "n1", serviceAccountName: "web-sa", secrets: ["web-tls"], configMaps: ["web-cfg"], persistentVolumeClaims: ["data"] },
    { namespace: "ns", name: "db", nodeName: "n2", serviceAccountName: "db-sa", secrets: ["db-pass"] },
    { namespace: "ns", name: "pending", nodeName: "", secrets: ["pending-secret"] },
  ],
});
const node = (version?: KubeVersion, featureGates = {}) => nodeAuthorizer(w, version ? { kubeVersion: version, featureGates } : { featureGates });
const c = (verb: string, resource: string, opts: Partial<CheckAttributes> = {}) => resourceCheck(n1, verb, resource, opts);
const nodeSelector = (value: string) => [{ key: "spec.nodeName", operator: "In", values: [value] }];

type Case = readonly [string, CheckAttributes, "allow" | "no-opinion", string];

const CASES: readonly Case[] = [
  // pods
  ["list pods with own spec.nodeName", c("list", "pods", { fieldSelector: nodeSelector("n1") }), "allow", ""],
  ["watch pods with own spec.nodeName in a namespace", c("watch", "pods", { namespace: "ns", fieldSelector: nodeSelector("n1") }), "allow", ""],
  ["list pods of another node", c("list", "pods", { fieldSelector: nodeSelector("n2") }), "no-opinion", "can only list/watch pods with spec.nodeName field selector"],
  ["list pods, != selector", c("list", "pods", { fieldSelector: [{ key: "spec.nodeName", operator: "NotIn", values: ["n1"] }] }), "no-opinion", "can only list/watch pods with spec.nodeName field selector"],
  ["list all pods", c("list", "pods"), "no-opinion", "can only list/watch pods with spec.nodeName field selector"],
  ["list one bound pod by metadata.name", c("list", "pods", { namespace: "ns", name: "web" }), "allow", ""],
  ["list one foreign pod by metadata.name", c("list", "pods", { namespace: "ns", name: "db" }), "no-opinion", "no relationship found between node 'n1' and this object"],
  ["get bound pod", c("get", "pods", { namespace: "ns", name: "web" }), "allow", ""],
  ["get foreign pod", c("get", "pods", { namespace: "ns", name: "db" }), "no-opinion", "no relationship found between node 'n1' and this object"],
  ["get unscheduled pod", c("get", "pods", { namespace: "ns", name: "pending" }), "no-opinion", "no relationship found between node 'n1' and this object"],
  ["get pod log", c("get", "pods", { namespace: "ns", name: "web", subresource: "log" }), "no-opinion", ""],
  ["create (mirror) pod", c("create", "pods", { namespace: "ns" }), "allow", ""],
  ["delete pod", c("delete", "pods", { namespace: "ns", name: "db" }), "allow", ""],
  ["update pod", c("update", "pods", { namespace: "ns", name: "web" }), "no-opinion", ""],
  ["patch pod status", c("patch", "pods", { namespace: "ns", name: "db", subresource: "status" }), "allow", ""],
  ["create eviction", c("create", "pods", { namespace: "ns", name: "db", subresource: "eviction" }), "allow", ""],
  // nodes
  ["get own node", c("get", "nodes", { name: "n1" }), "allow", ""],
  ["get other node", c("get", "nodes", { name: "n2" }), "no-opinion", "node 'n1' cannot read 'n2', only its own Node object"],
  ["list nodes", c("list", "nodes"), "no-opinion", "node 'n1' cannot read all nodes, only its own Node object"],
  ["watch own node by name", c("watch", "nodes", { name: "n1" }), "allow", ""],
  ["create node", c("create", "nodes"), "allow", ""],
  ["update other node", c("update", "nodes", { name: "n2" }), "allow", ""],
  ["patch own node status", c("patch", "nodes", { name: "n1", subresource: "status" }), "allow", ""],
  ["get own node status", c("get", "nodes", { name: "n1", subresource: "status" }), "no-opinion", ""],
  ["delete own node", c("delete", "nodes", { name: "n1" }), "no-opinion", ""],
  // secrets, configmaps, pvcs via the pods on the node
  ["get referenced secret", c("get", "secrets", { namespace: "ns", name: "web-tls" }), "allow", ""],
  ["watch referenced configmap", c("watch", "configmaps", { namespace: "ns", name: "web-cfg" }), "allow", ""],
  ["get secret of a pod elsewhere", c("get", "secrets", { namespace: "ns", name: "db-pass" }), "no-opinion", "no relationship found between node 'n1' and this object"],
  ["get secret of an unscheduled pod", c("get", "secrets", { namespace: "ns", name: "pending-secret" }), "no-opinion", "no relationship found between node 'n1' and this object"],
  ["list secrets", c("list", "secrets", { namespace: "ns" }), "no-opinion", "No Object name found"],
  ["create secret", c("create", "secrets", { namespace: "ns" }), "no-opinion", "can only read resources of this type"],
  ["secret subresource", c("get", "secrets", { namespace: "ns", name: "web-tls", subresource: "x" }), "no-opinion", "cannot read subresource"],
  ["cluster-scoped secret", c("get", "secrets", { name: "web-tls" }), "no-opinion", "can only read namespaced object of this type"],
  ["get referenced pvc", c("get", "persistentvolumeclaims", { namespace: "ns", name: "data" }), "allow", ""],
  ["list pvcs", c("list", "persistentvolumeclaims", { namespace: "ns" }), "no-opinion", "can only get individual resources of this type"],
  ["update referenced pvc status", c("update", "persistentvolumeclaims", { namespace: "ns", name: "data", subresource: "status" }), "allow", ""],
  ["get pvc status", c("get", "persistentvolumeclaims", { namespace: "ns", name: "data", subresource: "status" }), "no-opinion", "can only get/update/patch this type"],
  // serviceaccounts
  ["create token for a pod's SA", c("create", "serviceaccounts", { namespace: "ns", name: "web-sa", subresource: "token" }), "allow", ""],
  ["create token for a foreign SA", c("create", "serviceaccounts", { namespace: "ns", name: "db-sa", subresource: "token" }), "no-opinion", "no relationship found between node 'n1' and this object"],
  ["create SA", c("create", "serviceaccounts", { namespace: "ns" }), "no-opinion", "can only create tokens for individual service accounts"],
  ["update SA token", c("update", "serviceaccounts", { namespace: "ns", name: "web-sa", subresource: "token" }), "no-opinion", "can only create tokens for individual service accounts"],
  ["create SA other subresource", c("create", "serviceaccounts", { namespace: "ns", name: "web-sa", subresource: "x" }), "no-opinion", "can only create token subresource of serviceaccount"],
  ["get a pod's SA", c("get", "serviceaccounts", { namespace: "ns", name: "web-sa" }), "allow", ""],
  // leases, csinodes
  ["update own lease", c("update", "leases", { group: "coordination.k8s.io", namespace: "kube-node-lease", name: "n1" }), "allow", ""],
  ["create lease", c("create", "leases", { group: "coordination.k8s.io", namespace: "kube-node-lease" }), "allow", ""],
  ["get other lease", c("get", "leases", { group: "coordination.k8s.io", namespace: "kube-node-lease", name: "n2" }), "no-opinion", "can only access node lease with the same name as the requesting node"],
  ["lease elsewhere", c("get", "leases", { group: "coordination.k8s.io", namespace: "default", name: "n1" }), "no-opinion", 'can only access leases in the "kube-node-lease" system namespace'],
  ["list leases", c("list", "leases", { group: "coordination.k8s.io", namespace: "kube-node-lease" }), "no-opinion", "can only get, create, update, patch, or delete a node lease"],
  ["get own csinode", c("get", "csinodes", { group: "storage.k8s.io", name: "n1" }), "allow", ""],
  ["get other csinode", c("get", "csinodes", { group: "storage.k8s.io", name: "n2" }), "no-opinion", "can only access CSINode with the same name as the requesting node"],
  // resourceslices
  ["create resourceslice", c("create", "resourceslices", { group: "resource.k8s.io" }), "allow", ""],
  ["list own resourceslices", c("list", "resourceslices", { group: "resource.k8s.io", fieldSelector: nodeSelector("n1") }), "allow", ""],
  ["list resourceslices", c("list", "resourceslices", { group: "resource.k8s.io" }), "no-opinion", "can only list/watch/deletecollection resourceslices with nodeName field selector"],
  // static rules
  ["create event", c("create", "events", { namespace: "ns" }), "allow", ""],
  ["create events.k8s.io event", c("create", "events", { group: "events.k8s.io", namespace: "ns" }), "allow", ""],
  ["list services", c("list", "services"), "allow", ""],
  ["create CSR", c("create", "certificatesigningrequests", { group: "certificates.k8s.io" }), "allow", ""],
  ["create tokenreview", c("create", "tokenreviews", { group: "authentication.k8s.io" }), "allow", ""],
  ["get endpoints", c("get", "endpoints", { namespace: "ns", name: "x" }), "allow", ""],
  ["list deployments", c("list", "deployments", { group: "apps" }), "no-opinion", ""],
  ["impersonate-on verb", c("impersonate-on:user-info:get", "pods", { namespace: "ns", name: "web" }), "no-opinion", ""],
];

describe("Node authorizer: decided cases (1.37 defaults unless noted)", () => {
  it.each(CASES)("%s", (_name, check, decision, reason) => {
    const answer = node().authorize(check);
    expect(answer).toEqual({ decision, reason, decidedBy: "node" });
  });

  it("non-resource requests: static rules have no nonResourceURLs", () => {
    expect(node().authorize(pathCheck(n1, "get", "/healthz"))).toEqual({ decision: "no-opinion", reason: "", decidedBy: "node" });
  });
});

describe("Node authorizer: who is a node", () => {
  it("needs both the name prefix and the system:nodes group", () => {
    const legacyImpersonated = userInfo("system:node:n1", { groups: ["system:authenticated"] });
    const inGroupOnly = userInfo("kubelet", { groups: ["system:nodes"] });
    for (const u of [legacyImpersonated, inGroupOnly]) {
      expect(node().authorize(resourceCheck(u, "get", "nodes", { name: "n1" }))).toEqual({ decision: "no-opinion", reason: "", decidedBy: "node" });
    }
  });

  it("an empty node name is an unknown node", () => {
    const u = userInfo("system:node:", { groups: ["system:nodes"] });
    expect(node().authorize(resourceCheck(u, "get", "nodes"))).toEqual({
      decision: "no-opinion",
      reason: 'unknown node for user "system:node:"',
      decidedBy: "node",
    });
  });
});

describe("Node authorizer: versions and feature gates", () => {
  const csiStatus = c("update", "csinodes", { group: "storage.k8s.io", name: "n1", subresource: "status" });

  it("csinodes subresources: refused before 1.37; status needs CSIVolumeHealth from 1.37", () => {
    expect(node("1.35.4").authorize(csiStatus).reason).toBe("cannot authorize CSINode subresources");
    expect(node("1.37.2").authorize(csiStatus).reason).toBe("CSINode status access requires CSIVolumeHealth feature");
    expect(node("1.37.2", { CSIVolumeHealth: true }).authorize(csiStatus).decision).toBe("allow");
    expect(node("1.35.4").authorize(c("list", "csinodes", { group: "storage.k8s.io" })).reason).toBe("can only get, create, update, patch, or delete a CSINode");
  });

  it("podcertificaterequests: no opinion while the gate is off (1.35/1.36 default)", () => {
    const create = c("create", "podcertificaterequests", { group: "certificates.k8s.io", namespace: "ns" });
    expect(node("1.36.3").authorize(create)).toEqual({ decision: "no-opinion", reason: "", decidedBy: "node" });
    expect(node("1.37.2").authorize(create).decision).toBe("allow");
    expect(node("1.37.2").authorize(c("update", "podcertificaterequests", { group: "certificates.k8s.io", namespace: "ns", name: "x" })).reason).toBe(
      "nodes may not update podcertificaterequests",
    );
  });

  it("clustertrustbundles: a static rule only with ClusterTrustBundle", () => {
    const list = c("list", "clustertrustbundles", { group: "certificates.k8s.io" });
    expect(node("1.35.4").authorize(list).decision).toBe("no-opinion");
    expect(node("1.37.2").authorize(list).decision).toBe("allow");
  });

  it("serviceaccount get needs KubeletServiceAccountTokenForCredentialProviders or PodCertificateRequest", () => {
    const get = c("get", "serviceaccounts", { namespace: "ns", name: "web-sa" });
    expect(node("1.35.4", { KubeletServiceAccountTokenForCredentialProviders: false }).authorize(get).reason).toBe("not allowed to get service accounts");
    expect(node("1.37.2", { KubeletServiceAccountTokenForCredentialProviders: false }).authorize(get).decision).toBe("allow");
  });
});

describe("Node authorizer: indeterminate outside the World", () => {
  it.each([
    ["get persistentvolume", c("get", "persistentvolumes", { name: "pv1" })],
    ["get volumeattachment", c("get", "volumeattachments", { group: "storage.k8s.io", name: "va" })],
    ["get resourceclaim", c("get", "resourceclaims", { group: "resource.k8s.io", namespace: "ns", name: "rc" })],
    ["delete resourceslice", c("delete", "resourceslices", { group: "resource.k8s.io", name: "s" })],
    ["get podcertificaterequest (1.37)", c("get", "podcertificaterequests", { group: "certificates.k8s.io", namespace: "ns", name: "p" })],
  ])("%s", (_name, check) => {
    const answer = node().authorize(check);
    expect(answer.decision).toBe("no-opinion");
    expect(answer.indeterminate).toMatch(/does not model/);
  });

  it("but their pre-checks are decided", () => {
    expect(node().authorize(c("list", "persistentvolumes"))).toEqual({
      decision: "no-opinion",
      reason: "can only get individual resources of this type",
      decidedBy: "node",
    });
    expect(node().authorize(c("get", "volumeattachments", { group: "storage.k8s.io" })).reason).toBe("No Object name found");
  });
});
