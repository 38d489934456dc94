import type { StartedCluster } from "../cluster/provider.ts";
import type { ClusterRole, ClusterRoleBinding, NodeGraphPod, Role, RoleBinding, World } from "../core/index.ts";
import { adminClient } from "./admin-client.ts";

/**
 * The cluster's whole RBAC state and Node-authorizer graph, as the oracle's World. Read from the server
 * (bootstrap policy included) rather than assumed, so the oracle evaluates exactly what RBAC holds.
 */
export async function readWorld(cluster: StartedCluster): Promise<World> {
  const { rbac, core } = adminClient(cluster);
  const [roles, clusterRoles, roleBindings, clusterRoleBindings, nodes, pods] = await Promise.all([
    rbac.listRoleForAllNamespaces(),
    rbac.listClusterRole(),
    rbac.listRoleBindingForAllNamespaces(),
    rbac.listClusterRoleBinding(),
    core.listNode(),
    core.listPodForAllNamespaces(),
  ]);
  const meta = (m: { name?: string; namespace?: string } | undefined) => ({
    name: m?.name ?? "",
    ...(m?.namespace ? { namespace: m.namespace } : {}),
  });
  return {
    roles: roles.items.map((r): Role => ({ kind: "Role", metadata: meta(r.metadata), rules: (r.rules ?? []) as Role["rules"] })),
    clusterRoles: clusterRoles.items.map(
      (r): ClusterRole => ({ kind: "ClusterRole", metadata: meta(r.metadata), rules: (r.rules ?? []) as ClusterRole["rules"] }),
    ),
    roleBindings: roleBindings.items.map(
      (b): RoleBinding => ({
        kind: "RoleBinding",
        metadata: meta(b.metadata),
        subjects: (b.subjects ?? []) as RoleBinding["subjects"],
        roleRef: b.roleRef as RoleBinding["roleRef"],
      }),
    ),
    clusterRoleBindings: clusterRoleBindings.items.map(
      (b): ClusterRoleBinding => ({
        kind: "ClusterRoleBinding",
        metadata: meta(b.metadata),
        subjects: (b.subjects ?? []) as ClusterRoleBinding["subjects"],
        roleRef: b.roleRef as ClusterRoleBinding["roleRef"],
      }),
    ),
    nodes: nodes.items.map((n) => n.metadata?.name ?? ""),
    pods: pods.items.map(
      (p): NodeGraphPod => ({
        namespace: p.metadata?.namespace ?? "",
        name: p.metadata?.name ?? "",
        nodeName: p.spec?.nodeName ?? "",
        serviceAccountName: p.spec?.serviceAccountName,
      }),
    ),
  };
}
