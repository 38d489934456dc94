import type { UserInfo } from "./user-info.ts";

/** One requirement of a field or label selector, as a SubjectAccessReview carries it (authorization/v1). */
export interface SelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values: readonly string[];
}

/**
 * The attributes of one authorization check, in the shape a SubjectAccessReview spec has, so that the
 * oracle's predicted checks and the recorder's observed SARs are the same type and diff field by field.
 * For a non-resource check only `verb` and `path` are meaningful (the rest are ""); for a resource
 * check `path` is "" because SARs do not carry it.
 */
export interface CheckAttributes {
  readonly user: UserInfo;
  readonly verb: string;
  readonly resourceRequest: boolean;
  readonly namespace: string;
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  readonly path: string;
  /** Present only when the request carried a parseable selector (AuthorizeWithSelectors). */
  readonly fieldSelector?: readonly SelectorRequirement[];
  readonly labelSelector?: readonly SelectorRequirement[];
}

export type Decision = "allow" | "deny" | "no-opinion";

/**
 * Which authorizer of kube-apiserver's union answered. `privileged-groups` is the system:masters
 * authorizer the server always puts first: checks it answers never reach the recording webhook.
 */
export type DecidingAuthorizer = "privileged-groups" | "webhook" | "node" | "rbac" | "none";

/** One authorization the server made, with the answer when it is known (the oracle knows it; the recorder does not). */
export interface Check {
  readonly attributes: CheckAttributes;
  readonly decision?: Decision;
  readonly decidedBy?: DecidingAuthorizer;
  readonly reason?: string;
}

export function recorderCanSee(check: Check): boolean {
  return check.decidedBy !== "privileged-groups";
}
