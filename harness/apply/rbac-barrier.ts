import { setTimeout as sleep } from "node:timers/promises";
import type { StartedCluster } from "../cluster/provider.ts";
import { ClusterUnreachableError } from "../core/index.ts";
import { BARRIER_EXTRA_KEY } from "../webhooks/index.ts";
import { adminClient } from "./admin-client.ts";
import { type ApplyManifest, applyObjects } from "./apply-objects.ts";

const BARRIER_NAME = "impfuzz-barrier";
const BARRIER_NAMESPACE = "impfuzz-barrier";
const generations = new WeakMap<StartedCluster, number>();

/**
 * Waits until the apiserver's RBAC authorizer has seen every RBAC write made before this call.
 *
 * Roles, ClusterRoles, RoleBindings and ClusterRoleBindings come from four informers with no order
 * across types, but each delivers its own type in resourceVersion order. So we rewrite one sentinel of
 * each type with a new generation after the world's writes, and poll SubjectAccessReviews that succeed
 * only once all four sentinels of this generation are visible: every earlier write of each type is then
 * visible too. Two SARs per barrier, whatever the size of the world. The SARs carry a marker extra so the
 * recorder drops them (extras do not affect RBAC).
 */
export async function rbacBarrier(cluster: StartedCluster, timeoutMs = 30_000): Promise<void> {
  const gen = (generations.get(cluster) ?? 0) + 1;
  generations.set(cluster, gen);
  const user = `impfuzz-barrier-${gen}`;
  const verb = `impfuzz-barrier-${gen}`;
  const clusterRule = { apiGroups: ["impfuzz.dev"], resources: ["barriers"], verbs: [verb] };
  // A resource only the Role grants, so the namespaced SAR cannot pass through the ClusterRoleBinding.
  const roleRule = { apiGroups: ["impfuzz.dev"], resources: ["rolebarriers"], verbs: [verb] };
  const subjects = [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }];
  const sentinels: ApplyManifest[] = [
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: BARRIER_NAME }, rules: [clusterRule] },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: BARRIER_NAME },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: BARRIER_NAME },
      subjects,
    },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: BARRIER_NAME, namespace: BARRIER_NAMESPACE }, rules: [roleRule] },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: BARRIER_NAME, namespace: BARRIER_NAMESPACE },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: BARRIER_NAME },
      subjects,
    },
  ];
  await applyObjects(cluster, sentinels);
  const pending = [
    { namespace: "", resource: "barriers" },
    { namespace: BARRIER_NAMESPACE, resource: "rolebarriers" },
  ];
  const { authz } = adminClient(cluster);
  const deadline = Date.now() + timeoutMs;
  for (const p of pending) {
    for (;;) {
      const sar = await authz.createSubjectAccessReview({
        body: {
          apiVersion: "authorization.k8s.io/v1",
          kind: "SubjectAccessReview",
          spec: {
            user,
            groups: ["system:authenticated"],
            extra: { [BARRIER_EXTRA_KEY]: ["1"] },
            resourceAttributes: { group: "impfuzz.dev", resource: p.resource, verb, namespace: p.namespace || undefined },
          },
        },
      });
      if (sar.status?.allowed) break;
      if (Date.now() > deadline) {
        throw new ClusterUnreachableError(`RBAC barrier ${gen} not reached within ${timeoutMs / 1000}s: the apiserver's RBAC informers are not catching up`);
      }
      await sleep(20);
    }
  }
}
