import type { ClusterRole, ClusterRoleBinding, Manifest, NodeGraphPod, Role, RoleBinding, World } from "../core/index.ts";

/**
 * The world the oracle evaluates once `manifests` are applied on top of what the cluster held:
 * the same objects the server's informers hold after the barrier. Objects of other kinds
 * (namespaces, …) do not affect authorization and are ignored; an object re-applied replaces its
 * earlier version, as server-side apply does.
 */
export function extendWorld(base: World, manifests: readonly Manifest[]): World {
  const roles = new Map(base.roles.map((r) => [`${r.metadata.namespace}/${r.metadata.name}`, r]));
  const clusterRoles = new Map(base.clusterRoles.map((r) => [r.metadata.name, r]));
  const roleBindings = new Map(base.roleBindings.map((b) => [`${b.metadata.namespace}/${b.metadata.name}`, b]));
  const clusterRoleBindings = new Map(base.clusterRoleBindings.map((b) => [b.metadata.name, b]));
  const nodes = new Set(base.nodes);
  const pods = new Map(base.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const m of manifests) {
    const key = `${m.metadata.namespace ?? ""}/${m.metadata.name}`;
    switch (m.kind) {
      case "Role":
        roles.set(key, m as unknown as Role);
        break;
      case "ClusterRole":
        clusterRoles.set(m.metadata.name, m as unknown as ClusterRole);
        break;
      case "RoleBinding":
        roleBindings.set(key, m as unknown as RoleBinding);
        break;
      case "ClusterRoleBinding":
        clusterRoleBindings.set(m.metadata.name, m as unknown as ClusterRoleBinding);
        break;
      case "Node":
        nodes.add(m.metadata.name);
        break;
      case "Pod": {
        const spec = (m as { spec?: { nodeName?: string; serviceAccountName?: string } }).spec ?? {};
        const pod: NodeGraphPod = {
          namespace: m.metadata.namespace ?? "default",
          name: m.metadata.name,
          nodeName: spec.nodeName ?? "",
          ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
        };
        pods.set(key, pod);
        break;
      }
      default:
        break;
    }
  }
  return {
    roles: [...roles.values()],
    clusterRoles: [...clusterRoles.values()],
    roleBindings: [...roleBindings.values()],
    clusterRoleBindings: [...clusterRoleBindings.values()],
    nodes: [...nodes],
    pods: [...pods.values()],
  };
}

/** The world after deleting objects (a scenario's revoke step). */
export function removeFromWorld(base: World, refs: readonly { kind: string; name: string; namespace?: string }[]): World {
  const gone = new Set(refs.map((r) => `${r.kind}/${r.namespace ?? ""}/${r.name}`));
  const keep = (kind: string, m: { name: string; namespace?: string }) => !gone.has(`${kind}/${m.namespace ?? ""}/${m.name}`);
  return {
    ...base,
    roles: base.roles.filter((r) => keep("Role", r.metadata)),
    clusterRoles: base.clusterRoles.filter((r) => keep("ClusterRole", r.metadata)),
    roleBindings: base.roleBindings.filter((b) => keep("RoleBinding", b.metadata)),
    clusterRoleBindings: base.clusterRoleBindings.filter((b) => keep("ClusterRoleBinding", b.metadata)),
    nodes: base.nodes.filter((n) => keep("Node", { name: n })),
    pods: base.pods.filter((p) => keep("Pod", { name: p.name, namespace: p.namespace })),
  };
}
