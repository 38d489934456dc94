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

/**
 * Whether two users are the same identity: name, uid, groups in order, and extras as a map (the same own
 * keys, each with the same values in order; key order is irrelevant). This is the equality the
 * impersonation caches key on (cache.go buildKey) and the one a predicted user is compared with an
 * observed one by. The oracle compares users on every cache lookup, so it allocates nothing.
 */
export function sameUser(a: UserInfo, b: UserInfo): boolean {
  if (a === b) return true;
  if (a.username !== b.username || a.uid !== b.uid) return false;
  return sameStrings(a.groups, b.groups) && sameExtra(a.extra, b.extra);
}

/** The same strings in the same order (groups, an extra's values): a loop, allocating nothing. */
export function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The same own keys, each with the same values in order. Walked with for-in rather than Object.keys,
 * which makes a key array per call: a service account's requestor has extras, and each of its requests
 * compares them when its user is made canonical and again when a cache entry is matched.
 */
export function sameExtra(ea: UserInfo["extra"], eb: UserInfo["extra"]): boolean {
  if (ea === eb || (isEmpty(ea) && isEmpty(eb))) return true;
  let own = 0;
  for (const k in ea) {
    if (!Object.hasOwn(ea, k)) continue;
    own++;
    if (!Object.hasOwn(eb, k)) return false;
    if (!sameStrings(ea[k]!, eb[k]!)) return false;
  }
  // Every own key of ea is one of eb's: equal counts leave eb nothing more.
  for (const k in eb) if (Object.hasOwn(eb, k) && --own < 0) return false;
  return own === 0;
}

/** No enumerable key (own or not): the usual extras, told apart without walking them. */
function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}
