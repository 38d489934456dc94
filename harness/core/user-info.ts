/**
 * The identity Kubernetes attaches to a request (k8s.io/apiserver user.Info), as it appears in
 * SubjectAccessReview specs, TokenReview statuses and audit events. `uid: ""` and `extra: {}` mean unset.
 */
export interface UserInfo {
  readonly username: string;
  readonly uid: string;
  readonly groups: readonly string[];
  readonly extra: Readonly<Record<string, readonly string[]>>;
}

export const SYSTEM_AUTHENTICATED = "system:authenticated";
export const SYSTEM_UNAUTHENTICATED = "system:unauthenticated";
export const SYSTEM_MASTERS = "system:masters";
export const SYSTEM_NODES = "system:nodes";
export const SYSTEM_ANONYMOUS = "system:anonymous";
export const NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
export const ASSOCIATED_NODE_KEYS_EXTRA = "authentication.kubernetes.io/associated-node-keys";

export function userInfo(username: string, partial: Partial<Omit<UserInfo, "username">> = {}): UserInfo {
  return { username, uid: partial.uid ?? "", groups: partial.groups ?? [], extra: partial.extra ?? {} };
}

/**
 * What the authentication layer hands on for a requestor the token webhook vouches for: the server
 * appends `system:authenticated` unless the identity already carries it (or is anonymous).
 */
export function asAuthenticated(u: UserInfo): UserInfo {
  if (u.groups.includes(SYSTEM_AUTHENTICATED) || u.username === SYSTEM_ANONYMOUS) return u;
  return { ...u, groups: [...u.groups, SYSTEM_AUTHENTICATED] };
}
