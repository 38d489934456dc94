/**
 * The RBAC objects the oracle evaluates, as plain data in the shape the API serves
 * (rbac.authorization.k8s.io/v1). The oracle reads whatever the cluster holds, bootstrap policy
 * included; nothing here is hard-coded policy.
 */
export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface Role {
  readonly apiVersion?: string;
  readonly kind: "Role";
  readonly metadata: ObjectMeta;
  readonly rules?: readonly PolicyRule[];
}

export interface ClusterRole {
  readonly apiVersion?: string;
  readonly kind: "ClusterRole";
  readonly metadata: ObjectMeta;
  readonly rules?: readonly PolicyRule[];
}

export interface Subject {
  readonly kind: "User" | "Group" | "ServiceAccount";
  readonly name: string;
  readonly namespace?: string;
  readonly apiGroup?: string;
}

export interface RoleRef {
  readonly apiGroup: string;
  readonly kind: "Role" | "ClusterRole";
  readonly name: string;
}

export interface RoleBinding {
  readonly apiVersion?: string;
  readonly kind: "RoleBinding";
  readonly metadata: ObjectMeta;
  readonly subjects?: readonly Subject[];
  readonly roleRef: RoleRef;
}

export interface ClusterRoleBinding {
  readonly apiVersion?: string;
  readonly kind: "ClusterRoleBinding";
  readonly metadata: ObjectMeta;
  readonly subjects?: readonly Subject[];
  readonly roleRef: RoleRef;
}

export type RbacObject = Role | ClusterRole | RoleBinding | ClusterRoleBinding;

/** Objects the Node authorizer's graph is built from (only the fields it reads). */
export interface NodeGraphPod {
  readonly namespace: string;
  readonly name: string;
  readonly nodeName: string;
  readonly serviceAccountName?: string;
  readonly secrets?: readonly string[];
  readonly configMaps?: readonly string[];
  readonly persistentVolumeClaims?: readonly string[];
}

/** Everything the authorizers consult: the cluster's RBAC objects and the Node authorizer's graph. */
export interface World {
  readonly roles: readonly Role[];
  readonly clusterRoles: readonly ClusterRole[];
  readonly roleBindings: readonly RoleBinding[];
  readonly clusterRoleBindings: readonly ClusterRoleBinding[];
  readonly nodes: readonly string[];
  readonly pods: readonly NodeGraphPod[];
}

export const EMPTY_WORLD: World = { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [], nodes: [], pods: [] };
