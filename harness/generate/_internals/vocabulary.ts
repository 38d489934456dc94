/**
 * The fixed vocabularies generated values are drawn from (@internal).
 *
 * Two families, kept disjoint on purpose because `instantiateCase` renames by vocabulary:
 * - LOCAL names are server state owned by one case and get the case prefix: pool namespaces
 *   (`ns-a`…), requestor names (`r0`, `r1`…), requestor groups (`rg-*`) and target groups (`tg-*`).
 * - every other name (impersonation targets, node names, object names in paths, uids, extras) is
 *   sent as generated.
 * Each list starts with its simplest member: `constantFrom` shrinks towards the first value.
 */

/** Namespaces a case creates (renamed). */
export const POOL_NAMESPACES = ["ns-a", "ns-b", "ns-c"] as const;
/** Namespaces that exist on every server; requests may target them but no case object lives there. */
export const SHARED_NAMESPACES = ["default", "kube-system"] as const;

/** Requestor name parts are `r<probe index>` (renamed). */
export const REQUESTOR_NAME_PATTERN = /^r[0-9]+$/;
/** Groups requestors belong to; probes sharing one share the grants bound to it (renamed). */
export const REQUESTOR_GROUPS = ["rg-a", "rg-b", "rg-c"] as const;
/** Impersonated groups a case may bind grants to, cluster-wide included, without touching other cases (renamed). */
export const TARGET_LOCAL_GROUPS = ["tg-a", "tg-b"] as const;

export const VALID_NODE_NAMES = ["node1", "node2", "node-a.example"] as const;
/** Not DNS-1123 subdomains: `system:node:<these>` is not a node username (SPEC §6, §16.5). */
export const INVALID_NODE_NAMES = ["Node1", "", "a:b", "-node", "node_1"] as const;

export const SERVICE_ACCOUNT_NAMES = ["app", "default", "builder"] as const;

export const GENERIC_USERS = ["bob", "alice", "system:admin", "panda", "Bob", "user@example.com", "*"] as const;

export const WANTED_UIDS = ["uid-1", "wanted-uid-456", "0", "*"] as const;
export const REQUESTOR_UIDS = ["req-uid-1", "req-uid-2"] as const;

/** Names of the (never created) objects target requests address. */
export const OBJECT_NAMES = ["foo", "web-1", "x", "a.b"] as const;

/** Impersonate-Group values: ordinary, case-local, then the ones the filter treats specially. */
export const PLAIN_GROUPS = ["viewers", "devs"] as const;
export const SPECIAL_GROUPS = [
  "system:authenticated",
  "system:unauthenticated",
  "system:nodes",
  "system:serviceaccounts",
  "*",
  "",
  "system:masters",
] as const;

/** Extra values: printable ASCII only (see extra-key.ts on why not UTF-8). */
export const PLAIN_EXTRA_VALUES = ["scope-a", "scope-b", "read", "write", "*", "with space", "a,b", "x=1"] as const;
/** `""` fails user-info's sanity check; a padded value is trimmed by Go's header reader. */
export const ODD_EXTRA_VALUES = ["", " padded "] as const;

/** Extras a requestor's credential may carry besides node-name. */
export const NODE_NAME_EXTRA = "authentication.kubernetes.io/node-name";
export const REQUESTOR_OTHER_EXTRAS = [
  ["authentication.kubernetes.io/node-uid", ["7c1d-node-uid"]],
  ["authentication.kubernetes.io/credential-id", ["JTI=0b5e"]],
  ["example.com/team", ["blue"]],
  ["acme.io/scopes", ["a", "b"]],
  ["example.com/tier", ["gold"]],
] as const;

/** Bootstrap ClusterRoles a binding may reference; never renamed. `edit`/`admin` grant legacy SA impersonation (SPEC §12). */
export const BOOTSTRAP_CLUSTER_ROLES = ["view", "edit", "admin", "cluster-admin"] as const;

export const RBAC_API_GROUP = "rbac.authorization.k8s.io";
export const RBAC_API_VERSION = "rbac.authorization.k8s.io/v1";
export const AUTHENTICATION_GROUP = "authentication.k8s.io";

export const REQUEST_VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"] as const;
export type RequestVerb = (typeof REQUEST_VERBS)[number];
