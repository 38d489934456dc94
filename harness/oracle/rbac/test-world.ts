/**
 * Small builders for RBAC worlds in tests (not used by the oracle itself).
 */
import {
  EMPTY_WORLD,
  userInfo,
  type CheckAttributes,
  type ClusterRole,
  type ClusterRoleBinding,
  type PolicyRule,
  type Role,
  type RoleBinding,
  type Subject,
  type UserInfo,
  type World,
} from "../../core/index.ts";

export const clusterRole = (name: string, ...rules: PolicyRule[]): ClusterRole => ({ kind: "ClusterRole", metadata: { name }, rules });
export const role = (namespace: string, name: string, ...rules: PolicyRule[]): Role => ({ kind: "Role", metadata: { name, namespace }, rules });

export const user = (name: string): Subject => ({ kind: "User", name, apiGroup: "rbac.authorization.k8s.io" });
export const group = (name: string): Subject => ({ kind: "Group", name, apiGroup: "rbac.authorization.k8s.io" });
export const sa = (name: string, namespace?: string): Subject =>
  namespace === undefined ? { kind: "ServiceAccount", name } : { kind: "ServiceAccount", name, namespace };

export function clusterRoleBinding(name: string, roleName: string, ...subjects: Subject[]): ClusterRoleBinding {
  return { kind: "ClusterRoleBinding", metadata: { name }, subjects, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName } };
}

export function roleBinding(namespace: string, name: string, ref: { kind: "Role" | "ClusterRole"; name: string }, ...subjects: Subject[]): RoleBinding {
  return { kind: "RoleBinding", metadata: { name, namespace }, subjects, roleRef: { apiGroup: "rbac.authorization.k8s.io", ...ref } };
}

export function world(parts: Partial<World>): World {
  return { ...EMPTY_WORLD, ...parts };
}

export function resourceCheck(u: UserInfo, verb: string, resource: string, opts: Partial<CheckAttributes> = {}): CheckAttributes {
  return {
    user: u,
    verb,
    resourceRequest: true,
    namespace: "",
    group: "",
    version: "v1",
    resource,
    subresource: "",
    name: "",
    path: "",
    ...opts,
  };
}

export function pathCheck(u: UserInfo, verb: string, path: string): CheckAttributes {
  return { user: u, verb, resourceRequest: false, namespace: "", group: "", version: "", resource: "", subresource: "", name: "", path };
}

export const alice = userInfo("alice", { groups: ["devs", "system:authenticated"] });
