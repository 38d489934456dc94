/**
 * REST paths of the kinds the harness writes, so admin writes can go through the raw client (one
 * HTTPS request each, many in flight) instead of a discovery-driven generic client, which costs ~10×
 * more per object. A kind not listed here is an error naming it, not a guess.
 */
interface KindInfo {
  readonly group: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

const KINDS: Readonly<Record<string, KindInfo>> = {
  "rbac.authorization.k8s.io/v1/Role": { group: "rbac.authorization.k8s.io/v1", plural: "roles", namespaced: true },
  "rbac.authorization.k8s.io/v1/RoleBinding": { group: "rbac.authorization.k8s.io/v1", plural: "rolebindings", namespaced: true },
  "rbac.authorization.k8s.io/v1/ClusterRole": { group: "rbac.authorization.k8s.io/v1", plural: "clusterroles", namespaced: false },
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": { group: "rbac.authorization.k8s.io/v1", plural: "clusterrolebindings", namespaced: false },
  "v1/Namespace": { group: "v1", plural: "namespaces", namespaced: false },
  "v1/Node": { group: "v1", plural: "nodes", namespaced: false },
  "v1/Pod": { group: "v1", plural: "pods", namespaced: true },
  "v1/ServiceAccount": { group: "v1", plural: "serviceaccounts", namespaced: true },
  "v1/Secret": { group: "v1", plural: "secrets", namespaced: true },
  "v1/ConfigMap": { group: "v1", plural: "configmaps", namespaced: true },
  "v1/Service": { group: "v1", plural: "services", namespaced: true },
  "apps/v1/Deployment": { group: "apps/v1", plural: "deployments", namespaced: true },
};

export function isKnownKind(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in KINDS;
}

export function isClusterScoped(apiVersion: string, kind: string): boolean {
  const k = KINDS[`${apiVersion}/${kind}`];
  return k !== undefined && !k.namespaced;
}

/** `/apis/rbac.authorization.k8s.io/v1/namespaces/ns/roles/name` (name optional). */
export function resourcePath(apiVersion: string, kind: string, namespace: string | undefined, name?: string): string {
  const k = KINDS[`${apiVersion}/${kind}`];
  if (!k) throw new Error(`impfuzz cannot write ${apiVersion} ${kind}: supported kinds are ${Object.keys(KINDS).join(", ")}`);
  const root = k.group === "v1" ? "/api/v1" : `/apis/${k.group}`;
  const ns = k.namespaced ? `/namespaces/${encodeURIComponent(namespace || "default")}` : "";
  return `${root}${ns}/${k.plural}${name === undefined ? "" : `/${encodeURIComponent(name)}`}`;
}
