import type { CheckAttributes, DecidingAuthorizer, Decision } from "../core/index.ts";
import type { CheckShape } from "./check-shape.ts";

/**
 * The answer of one authorizer (k8s.io/apiserver authorizer.Decision, reason, error). `error` is the
 * text of a returned error, e.g. RBAC's "RBAC: role.rbac.authorization.k8s.io \"x\" not found" when a
 * binding names a missing role.
 */
export interface AuthorizerAnswer {
  readonly decision: Decision;
  readonly reason: string;
  readonly error?: string;
  readonly decidedBy: DecidingAuthorizer;
  /** Set when the model cannot decide this check (e.g. a Node-authorizer case outside the modelled subset). */
  readonly indeterminate?: string;
  /**
   * Set when the decision is certain but `reason`/`error` (or `decidedBy`) are not, e.g. RBAC lists
   * missing-role errors in informer (Go map) order. A 403 message built from them is then indeterminate.
   */
  readonly reasonIndeterminate?: string;
}

/**
 * What the impersonation filter and WithAuthorization ask. Pure: same world, same attributes, same answer.
 * `shape`, when given, is `checkShape` of the attributes' verb and resource: a lookup key an authorizer may
 * use instead of the strings (RBAC does); it never changes the answer.
 */
export interface Authorizer {
  authorize(attributes: CheckAttributes, shape?: CheckShape): AuthorizerAnswer;
}

/**
 * What RequestInfo + GetAuthorizerAttributes derive from an HTTP request: the check attributes
 * without a user. `readOnly` is part of the outer cache key (§7c). `selectorError` is set when a field
 * or label selector failed to parse: the selectors are then absent from checks and the outer cache is
 * neither read nor written.
 */
export interface RequestAttributes extends Omit<import("../core/index.ts").CheckAttributes, "user"> {
  readonly readOnly: boolean;
  readonly selectorError?: boolean;
  /**
   * The request's part of the outer cache key (§7c), telling requests apart exactly as upstream
   * `impersonation/cache.go` `buildKey` does: it also holds the URL path of resource requests (`path`
   * is "" for them) and the raw selector requirements (`a=b`, `a==b` and `a in (b)` are one SAR
   * requirement but three keys; `a>1` is in no SAR but in the key). Absent iff `selectorError`.
   */
  readonly cacheKey?: string;
  /** The server answers before authentication: 400 from Go's URL parsing, 500 from a RequestInfo error. */
  readonly earlyFailure?: { readonly code: 400 | 500; readonly reason: string };
}
