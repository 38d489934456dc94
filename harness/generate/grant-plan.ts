import fc from "fast-check";
import { assertWeights, rarely, sometimes, weighted } from "./_internals/helpers/weighted.ts";

/**
 * How much of what a probe's intended mode needs the world grants: nothing, all of it, or all but
 * one piece (`partial`, which piece is `PartialKind`).
 */
export const GRANT_COMPLETENESS = ["none", "partial", "full"] as const;
export type GrantCompleteness = (typeof GRANT_COMPLETENESS)[number];

/**
 * Ways to get it almost right (SPEC §4, §7, §16), each a near miss a real administrator makes:
 * - `impersonate-on-only` / `identity-only`: one of the two permissions of a constrained mode;
 * - `wrong-verb`: impersonate-on for another request verb; `wrong-mode`: impersonate-on for another mode;
 * - `wrong-namespace`: the RoleBinding sits in another namespace than the check's (request ns, SA ns);
 * - `wrong-name`: resourceNames miss (another node/user, the literal `*`, a node name for associated-node);
 * - `missing-piece`: user-info/legacy without one of uid/groups/extras;
 * - `missing-role`: the binding points at a role that does not exist (RBAC adds a reason);
 * - `other-mode`: everything for a neighbouring mode instead (associated ↔ arbitrary node, user-info for an SA);
 * - `wildcard-too-few`: groups/extras granted only through the `*` wildcard name, with fewer than 4.
 * A kind that means nothing for a mode is read as the nearest one that does (see the grant builder).
 */
export const PARTIAL_KINDS = [
  "impersonate-on-only",
  "identity-only",
  "wrong-verb",
  "wrong-mode",
  "wrong-namespace",
  "wrong-name",
  "missing-piece",
  "missing-role",
  "other-mode",
  "wildcard-too-few",
] as const;
export type PartialKind = (typeof PARTIAL_KINDS)[number];

/** Cosmetic choices that must not change the outcome of a full grant (each first value is the plainest). */
export interface GrantStyle {
  /** impersonate-on verb: exactly `impersonate-on:<mode>:<verb>`, `*`, or that verb among others. */
  readonly onVerb: "exact" | "star" | "several";
  /** impersonate-on resource: exactly, `*`, or star-slash-subresource (`*` + `/status`) for subresources. */
  readonly onResource: "exact" | "star" | "star-sub";
  readonly onApiGroup: "exact" | "star";
  /** Cut impersonate-on to the request's object name (only when it has one). */
  readonly onNames: "none" | "exact";
  /** Where impersonate-on of a namespaced request is granted (cluster-scoped: always a ClusterRoleBinding). */
  readonly onBinding: "clusterrolebinding" | "rolebinding-role" | "rolebinding-clusterrole";
  /** impersonate-on for a non-resource path: the path, a `/prefix/*`, or `*`. */
  readonly nonResource: "exact" | "prefix" | "star";
  /** Identity rules: exact resourceNames, none, or the `*` wildcard names when 4 or more items ask for it. */
  readonly identityNames: "exact" | "none" | "wildcard";
  /** Where serviceaccount identity is granted: cluster-wide or in the SA's namespace. */
  readonly identityBinding: "clusterrolebinding" | "rolebinding-role" | "rolebinding-clusterrole";
  /** Whom the grants name: the requestor, as a User even if an SA, a group it is in, its SA namespace group, or it and another. */
  readonly subject: "self" | "self-as-user" | "group" | "sa-group" | "several";
}

export interface GrantPlan {
  readonly completeness: GrantCompleteness;
  /** Used when `completeness` is `partial`. */
  readonly partial: PartialKind;
  /** Also grant legacy `impersonate` for everything asked (a failed constrained mode then falls back to it). */
  readonly alsoLegacy: boolean;
  readonly style: GrantStyle;
  /** Grant the impersonated identity (or, without impersonation, the requestor) the request itself. */
  readonly finalGrant: boolean;
  readonly finalSubject: "user" | "group";
  /** The request's verb, `get`/`list`/`watch` (may miss it), or `*`. */
  readonly finalVerbs: "exact" | "read" | "star";
}

export interface GrantPlanConstraints {
  /** @defaultValue none 2, partial 3, full 5 — so about half the probes get exactly what their mode needs */
  readonly completeness?: Partial<Record<GrantCompleteness, number>>;
  /**
   * One plan in `legacyOneIn` also grants legacy impersonation; 0 never.
   * @defaultValue 5
   */
  readonly legacyOneIn?: number;
  /**
   * One plan in `noFinalGrantOneIn` leaves the request itself ungranted (so `request-denied` is common).
   * @defaultValue 3
   */
  readonly noFinalGrantOneIn?: number;
}

function styleArb(): fc.Arbitrary<GrantStyle> {
  return fc.record({
    onVerb: weighted<GrantStyle["onVerb"]>([["exact", 6], ["star", 1], ["several", 2]]),
    onResource: weighted<GrantStyle["onResource"]>([["exact", 6], ["star", 1], ["star-sub", 1]]),
    onApiGroup: weighted<GrantStyle["onApiGroup"]>([["exact", 5], ["star", 1]]),
    onNames: weighted<GrantStyle["onNames"]>([["none", 3], ["exact", 1]]),
    onBinding: weighted<GrantStyle["onBinding"]>([["clusterrolebinding", 3], ["rolebinding-role", 2], ["rolebinding-clusterrole", 2]]),
    nonResource: weighted<GrantStyle["nonResource"]>([["exact", 3], ["prefix", 1], ["star", 1]]),
    identityNames: weighted<GrantStyle["identityNames"]>([["exact", 5], ["none", 2], ["wildcard", 2]]),
    identityBinding: weighted<GrantStyle["identityBinding"]>([["clusterrolebinding", 3], ["rolebinding-role", 2], ["rolebinding-clusterrole", 1]]),
    subject: weighted<GrantStyle["subject"]>([["self", 8], ["self-as-user", 1], ["group", 3], ["sa-group", 1], ["several", 1]]),
  });
}

/** Choices for one probe's grants; the case builder turns them into RBAC objects for the probe's mode. */
export function grantPlan(constraints: GrantPlanConstraints = {}): fc.Arbitrary<GrantPlan> {
  const c = constraints.completeness ?? { none: 2, partial: 3, full: 5 };
  assertWeights("grantPlan.completeness", c);
  const legacyOneIn = constraints.legacyOneIn ?? 5;
  const noFinal = constraints.noFinalGrantOneIn ?? 3;
  for (const [k, v] of [["legacyOneIn", legacyOneIn], ["noFinalGrantOneIn", noFinal]] as const) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`grantPlan: ${k} must be an integer >= 0, got ${v}`);
  }
  return fc.record({
    completeness: weighted(GRANT_COMPLETENESS.map((k) => [k, c[k] ?? 0] as const)),
    partial: fc.constantFrom(...PARTIAL_KINDS),
    alsoLegacy: legacyOneIn === 0 ? fc.constant(false) : rarely(legacyOneIn),
    style: styleArb(),
    // finalGrant shrinks to true: a shrunk case keeps the request allowed unless it needs the denial
    finalGrant: sometimes(noFinal, fc.constant(false), true),
    finalSubject: weighted<GrantPlan["finalSubject"]>([["user", 2], ["group", 1]]),
    finalVerbs: weighted<GrantPlan["finalVerbs"]>([["exact", 5], ["read", 1], ["star", 1]]),
  });
}
