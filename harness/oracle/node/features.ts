/**
 * The feature gates the Node authorizer and its static rules read, with their defaults per version
 * (kubernetes/kubernetes:pkg/features/kube_features.go at v1.35.4, v1.36.3, v1.37.2). A harness that
 * starts kube-apiserver with `--feature-gates` passes the same overrides here.
 *
 * Not listed because they cannot change: AuthorizeNodeWithSelectors and DynamicResourceAllocation are
 * GA and locked on in all three versions (the former's checks lose the gate in 1.37).
 */
import { DEFAULT_KUBE_VERSION, minorOf, type KubeVersion } from "../../core/index.ts";

export const NODE_FEATURE_GATES = [
  "PodCertificateRequest",
  "ClusterTrustBundle",
  "KubeletServiceAccountTokenForCredentialProviders",
  "CSIVolumeHealth",
] as const;
export type NodeFeatureGate = (typeof NODE_FEATURE_GATES)[number];
export type NodeFeatureGates = Readonly<Record<NodeFeatureGate, boolean>>;

export function nodeFeatureGates(
  version: KubeVersion = DEFAULT_KUBE_VERSION,
  overrides: Partial<Record<NodeFeatureGate, boolean>> = {},
): NodeFeatureGates {
  const minor = minorOf(version);
  return {
    // beta off by default in 1.35 and 1.36, GA on in 1.37
    PodCertificateRequest: minor >= 37,
    ClusterTrustBundle: minor >= 37,
    // beta, on by default since 1.34
    KubeletServiceAccountTokenForCredentialProviders: true,
    // alpha (deprecated since 1.35), off
    CSIVolumeHealth: false,
    ...overrides,
  };
}
