/**
 * The one place the filter model makes the attributes of a check (SPEC §4).
 *
 * Why one place: every check's attributes are read field by field by the authorizers, the RBAC index and
 * the 403 text, for every request. Objects made by different literals or by spreading (`{ ...a, name }`)
 * get different V8 hidden classes, and a property read that meets more than four of them is
 * megamorphic: a hash-table probe per read, which was about a tenth of the oracle's instructions. Made
 * here, the attributes of all checks without selectors share one hidden class; those with selectors
 * (only the request's own, C1/C1'/final) keep exactly the keys the request had, as before.
 */
import type { CheckAttributes, UserInfo } from "../core/index.ts";

export function checkAttributes(
  user: UserInfo,
  verb: string,
  resourceRequest: boolean,
  namespace: string,
  group: string,
  version: string,
  resource: string,
  subresource: string,
  name: string,
  path: string,
  selectors?: Pick<CheckAttributes, "fieldSelector" | "labelSelector">,
): CheckAttributes {
  if (selectors === undefined || (!selectors.fieldSelector && !selectors.labelSelector)) {
    return { user, verb, resourceRequest, namespace, group, version, resource, subresource, name, path };
  }
  return withSelectors({ user, verb, resourceRequest, namespace, group, version, resource, subresource, name, path }, selectors);
}

function withSelectors(a: CheckAttributes, s: Pick<CheckAttributes, "fieldSelector" | "labelSelector">): CheckAttributes {
  return { ...a, ...(s.fieldSelector ? { fieldSelector: s.fieldSelector } : {}), ...(s.labelSelector ? { labelSelector: s.labelSelector } : {}) };
}

/** `a` with another name (and subresource): the group, extra and wildcard checks of one kind. */
export function withName(a: CheckAttributes, name: string, subresource = a.subresource): CheckAttributes {
  return checkAttributes(a.user, a.verb, a.resourceRequest, a.namespace, a.group, a.version, a.resource, subresource, name, a.path, a);
}

/** `a` made as another user (and with another name): associated-node's R' wrapper, the visible form. */
export function asUser(a: CheckAttributes, user: UserInfo, name = a.name): CheckAttributes {
  return checkAttributes(user, a.verb, a.resourceRequest, a.namespace, a.group, a.version, a.resource, a.subresource, name, a.path, a);
}
