/**
 * What a stateful command sequence talks about: two fixed requestors, three impersonation targets, three
 * requests, and the permission pieces a grant or revoke moves (SPEC §3, §4, §7).
 *
 * Names come in two spellings. The *local* names are what a scenario file writes (`deputy`, `bob`,
 * `sf-on-user-info-get-deputy`) and what commands print. The *live* names of one sequence append that
 * sequence's token (from `uniqueName`) to every name the sequence owns — requestors, impersonated users,
 * the node, RBAC objects — so sequences on one server share no mode-index entry, cache entry or binding,
 * while within a sequence the names are fixed and the filter's state carries over from step to step.
 * The namespace is shared (a deleted namespace stays Terminating without a controller-manager).
 */
import fc from "fast-check";
import type { ConstrainedMode, Manifest, PolicyRule, Subject, UserInfo } from "../../core/index.ts";
import { NODE_NAME_EXTRA } from "../../core/index.ts";
import type { ObjectRef } from "../../scenario/index.ts";

const RBAC = "rbac.authorization.k8s.io";
const RBAC_V1 = `${RBAC}/v1`;
const AUTHN = "authentication.k8s.io";

/** The namespace of the probed pods, the Role pieces and the impersonated service account. */
export const SEQUENCE_NAMESPACE = "impfuzz-stateful";

/** Index of a requestor: 0 is a plain user, 1 a service account whose token says it runs on node n1. */
export type Who = 0 | 1;
export const REQUESTOR_LABELS = ["deputy", "node-agent"] as const;

export type WantedKey = "user" | "node" | "serviceaccount";
export const WANTED_KEYS: readonly WantedKey[] = ["user", "node", "serviceaccount"];

export type RequestKey = "get-foo" | "get-bar" | "list";
/** Same verb, other name (new outer key, same inner key); then another verb. */
export const REQUEST_KEYS: readonly RequestKey[] = ["get-foo", "get-bar", "list"];
export const REQUEST_VERB: Readonly<Record<RequestKey, "get" | "list">> = { "get-foo": "get", "get-bar": "get", list: "list" };

export interface SequenceNames {
  /** Appended to every owned name: "" for the local spelling, `-<token>` live. */
  readonly suffix: string;
  readonly namespace: string;
  readonly requestors: readonly [UserInfo, UserInfo];
  /** Username impersonated for each target. */
  readonly wanted: Readonly<Record<WantedKey, string>>;
  readonly nodeName: string;
  readonly serviceAccount: string;
  readonly user: string;
  /** Name of the RBAC objects of one piece. */
  object(pieceId: string): string;
  path(request: RequestKey): string;
}

/**
 * The names of one sequence. `token` must be usable inside DNS labels (lower-case letters, digits,
 * dashes), as `uniqueName` makes it; "" gives the local names.
 */
export function sequenceNames(token: string): SequenceNames {
  if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?)?$/.test(token)) throw new RangeError(`sequence token "${token}" must be a DNS label (a-z, 0-9, "-")`);
  const suffix = token === "" ? "" : `-${token}`;
  const namespace = SEQUENCE_NAMESPACE;
  const nodeName = `n1${suffix}`;
  const user = `bob${suffix}`;
  const serviceAccount = `app${suffix}`;
  return {
    suffix,
    namespace,
    requestors: [
      { username: `deputy${suffix}`, uid: "", groups: [], extra: {} },
      { username: `system:serviceaccount:${namespace}:node-agent${suffix}`, uid: "", groups: [], extra: { [NODE_NAME_EXTRA]: [nodeName] } },
    ],
    wanted: { user, node: `system:node:${nodeName}`, serviceaccount: `system:serviceaccount:${namespace}:${serviceAccount}` },
    nodeName,
    serviceAccount,
    user,
    object: (pieceId) => `sf-${pieceId}${suffix}`,
    path: (r) => `/api/v1/namespaces/${namespace}/pods${r === "list" ? "" : r === "get-foo" ? "/foo" : "/bar"}`,
  };
}

/** The names commands print and scenario files use. */
export const LOCAL_NAMES = sequenceNames("");

export type PieceLayer = "impersonate-on" | "identity" | "legacy" | "final";

/**
 * One permission piece: `impersonate-on:<mode>:<verb>` on pods, `impersonate:<mode>` on the mode's
 * identity, legacy `impersonate` on the three targets (all to one requestor), or the final permission
 * (the impersonated identities may get and list the pods). Each is one role and one binding.
 */
export interface Piece {
  readonly id: string;
  readonly layer: PieceLayer;
  readonly mode?: ConstrainedMode;
  readonly verb?: "get" | "list";
  readonly who?: Who;
}

function pieceCatalogue(): Piece[] {
  const out: Piece[] = [];
  const modes: readonly ConstrainedMode[] = ["user-info", "arbitrary-node", "serviceaccount", "associated-node"];
  for (const who of [0, 1] as const) {
    // associated-node applies only to a service account with a node-name extra: requestor 1.
    const usable = modes.filter((m) => m !== "associated-node" || who === 1);
    for (const mode of usable) {
      for (const verb of ["get", "list"] as const) out.push({ id: `on-${mode}-${verb}-${REQUESTOR_LABELS[who]}`, layer: "impersonate-on", mode, verb, who });
    }
    for (const mode of usable) out.push({ id: `as-${mode}-${REQUESTOR_LABELS[who]}`, layer: "identity", mode, who });
    out.push({ id: `legacy-${REQUESTOR_LABELS[who]}`, layer: "legacy", who });
  }
  out.push({ id: "final", layer: "final" });
  // fast-check prints a counterexample's pieces by id.
  for (const p of out) Object.defineProperty(p, fc.toStringMethod, { value: () => p.id, enumerable: false });
  return out;
}

/** Every piece, user-info first (the simplest, where shrinking should end). */
export const PIECES: readonly Piece[] = pieceCatalogue();

export function pieceById(id: string): Piece {
  const p = PIECES.find((x) => x.id === id);
  if (!p) throw new RangeError(`no permission piece "${id}"`);
  return p;
}

/** Where a piece is granted: a namespaced Role/RoleBinding or a ClusterRole/ClusterRoleBinding. */
function isNamespaced(p: Piece): boolean {
  // get-pieces are Roles in the namespace, list-pieces cluster-wide: both RBAC paths of C1 get used.
  if (p.layer === "impersonate-on") return p.verb === "get";
  // S1 is evaluated in the service account's namespace, so a Role there grants it (SPEC §4 notes).
  if (p.layer === "identity") return p.mode === "serviceaccount";
  return p.layer === "final";
}

function requestorSubject(n: SequenceNames, who: Who): Subject {
  if (who === 0) return { kind: "User", apiGroup: RBAC, name: n.requestors[0].username };
  return { kind: "ServiceAccount", name: `node-agent${n.suffix}`, namespace: n.namespace };
}

function rulesOf(p: Piece, n: SequenceNames): PolicyRule[] {
  switch (p.layer) {
    case "impersonate-on":
      return [{ apiGroups: [""], resources: ["pods"], verbs: [`impersonate-on:${p.mode}:${p.verb}`] }];
    case "identity": {
      const verbs = [`impersonate:${p.mode}`];
      if (p.mode === "user-info") return [{ apiGroups: [AUTHN], resources: ["users"], resourceNames: [n.user], verbs }];
      if (p.mode === "arbitrary-node") return [{ apiGroups: [AUTHN], resources: ["nodes"], resourceNames: [n.nodeName], verbs }];
      if (p.mode === "serviceaccount") return [{ apiGroups: [AUTHN], resources: ["serviceaccounts"], resourceNames: [n.serviceAccount], verbs }];
      // N2 asks for name "*": a resourceNames rule could never match (SPEC §8).
      return [{ apiGroups: [AUTHN], resources: ["nodes"], verbs }];
    }
    case "legacy":
      return [
        { apiGroups: [""], resources: ["users"], resourceNames: [n.user, n.wanted.node], verbs: ["impersonate"] },
        { apiGroups: [""], resources: ["serviceaccounts"], resourceNames: [n.serviceAccount], verbs: ["impersonate"] },
      ];
    case "final":
      return [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }];
  }
}

function subjectsOf(p: Piece, n: SequenceNames): Subject[] {
  if (p.layer !== "final") return [requestorSubject(n, p.who!)];
  return [
    { kind: "User", apiGroup: RBAC, name: n.user },
    { kind: "User", apiGroup: RBAC, name: n.wanted.node },
    { kind: "ServiceAccount", name: n.serviceAccount, namespace: n.namespace },
  ];
}

/** The role and the binding that grant a piece, in apply order. */
export function pieceManifests(p: Piece, n: SequenceNames): Manifest[] {
  const name = n.object(p.id);
  const ns = isNamespaced(p);
  // A fresh metadata object each: shared objects would print as YAML anchors.
  const metadata = () => (ns ? { name, namespace: n.namespace } : { name });
  return [
    { apiVersion: RBAC_V1, kind: ns ? "Role" : "ClusterRole", metadata: metadata(), rules: rulesOf(p, n) },
    {
      apiVersion: RBAC_V1,
      kind: ns ? "RoleBinding" : "ClusterRoleBinding",
      metadata: metadata(),
      roleRef: { apiGroup: RBAC, kind: ns ? "Role" : "ClusterRole", name },
      subjects: subjectsOf(p, n),
    },
  ];
}

/** What a revoke deletes: the binding (the role stays, bound to nobody, as an admin would leave it). */
export function pieceRevokeRefs(p: Piece, n: SequenceNames): ObjectRef[] {
  const name = n.object(p.id);
  return isNamespaced(p)
    ? [{ apiVersion: RBAC_V1, kind: "RoleBinding", name, namespace: n.namespace }]
    : [{ apiVersion: RBAC_V1, kind: "ClusterRoleBinding", name }];
}

/** Words for a step name: `impersonate-on:user-info:get to deputy`. */
export function describePiece(p: Piece): string {
  const to = p.who === undefined ? "" : ` to ${REQUESTOR_LABELS[p.who]}`;
  switch (p.layer) {
    case "impersonate-on":
      return `impersonate-on:${p.mode}:${p.verb}${to}`;
    case "identity":
      return `impersonate:${p.mode}${to}`;
    case "legacy":
      return `legacy impersonate${to}`;
    case "final":
      return "the final permission (targets may get/list pods)";
  }
}
