/**
 * The static rules the Node authorizer applies to every node for what it does not subdivide
 * (kubernetes/kubernetes:plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go `NodeRules`,
 * v1.35.4–v1.37.2; 1.37 adds `csinodes/status` behind CSIVolumeHealth). They are code, not cluster
 * objects, so they are data here. Only the part for resources the authorizer's switch does not catch
 * is ever consulted (events, services, endpoints, CSRs, reviews, csidrivers, runtimeclasses,
 * clustertrustbundles, …), but the list is kept whole so it reads like the source.
 */
import { minorOf, type KubeVersion, type PolicyRule } from "../../core/index.ts";
import { compileRule, type CompiledRule } from "../rbac/rule-match.ts";
import type { NodeFeatureGates } from "./features.ts";

const READ = ["get", "list", "watch"];

function rule(verbs: string[], apiGroups: string[], resources: string[]): PolicyRule {
  return { verbs, apiGroups, resources };
}

export function nodeRules(version: KubeVersion, gates: NodeFeatureGates): readonly PolicyRule[] {
  const rules: PolicyRule[] = [
    rule(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
    rule(["create"], ["authorization.k8s.io"], ["subjectaccessreviews", "localsubjectaccessreviews"]),
    rule(READ, [""], ["services"]),
    rule(["create", "get", "list", "watch"], [""], ["nodes"]),
    rule(["update", "patch"], [""], ["nodes/status"]),
    rule(["update", "patch"], [""], ["nodes"]),
    rule(["create", "update", "patch"], ["", "events.k8s.io"], ["events"]),
    rule(READ, [""], ["pods"]),
    rule(["create", "delete"], [""], ["pods"]),
    rule(["update", "patch"], [""], ["pods/status"]),
    rule(["create"], [""], ["pods/eviction"]),
    rule(["get", "list", "watch"], [""], ["secrets", "configmaps"]),
    rule(["get"], [""], ["persistentvolumeclaims", "persistentvolumes"]),
    rule(["get"], [""], ["endpoints"]),
    rule(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"]),
    rule(["get", "create", "update", "patch", "delete"], ["coordination.k8s.io"], ["leases"]),
    rule(["get"], ["storage.k8s.io"], ["volumeattachments"]),
    rule(["create"], [""], ["serviceaccounts/token"]),
    rule(["get", "update", "patch"], [""], ["persistentvolumeclaims/status"]),
    rule(["get", "watch", "list"], ["storage.k8s.io"], ["csidrivers"]),
    rule(["get", "create", "update", "patch", "delete"], ["storage.k8s.io"], ["csinodes"]),
  ];
  if (minorOf(version) >= 37 && gates.CSIVolumeHealth) {
    rules.push(rule(["get", "update", "patch"], ["storage.k8s.io"], ["csinodes/status"]));
  }
  rules.push(rule(READ, ["node.k8s.io"], ["runtimeclasses"]));
  // DynamicResourceAllocation: GA and locked on.
  rules.push(rule(["get"], ["resource.k8s.io"], ["resourceclaims"]));
  rules.push(rule(["deletecollection"], ["resource.k8s.io"], ["resourceslices"]));
  if (gates.ClusterTrustBundle) rules.push(rule(READ, ["certificates.k8s.io"], ["clustertrustbundles"]));
  if (gates.KubeletServiceAccountTokenForCredentialProviders) rules.push(rule(["get"], [""], ["serviceaccounts"]));
  if (gates.PodCertificateRequest) {
    rules.push(rule(["get", "list", "watch", "create"], ["certificates.k8s.io"], ["podcertificaterequests"]));
  }
  return rules;
}

export function compiledNodeRules(version: KubeVersion, gates: NodeFeatureGates): readonly CompiledRule[] {
  return nodeRules(version, gates).map(compileRule);
}
