/**
 * SPEC §7 "Gate OFF" and §16.13: impersonation.go `WithImpersonation` / `buildImpersonationRequests`,
 * the filter kube-apiserver installs when ConstrainedImpersonation is off. It differs from the legacy
 * *mode* of the constrained filter (modes/legacy.ts) in:
 *  - order: [ServiceAccount | User], each group, each extra value (header names in Go map order), uid last;
 *  - attributes: users, groups and serviceaccounts carry apiVersion "" (the object reference has none);
 *  - decision: an authorizer error denies even alongside Allow, and the 403 carries only the reason;
 *  - no caches, no mode index, no audit constraint.
 */
import { type CheckAttributes, type UserInfo } from "../core/index.ts";
import { checkAttributes } from "./check-attributes.ts";
import type { CheckShape } from "./check-shape.ts";
import { AUTHENTICATION_GROUP, authorize, identityShapes } from "./checks.ts";
import type { ExtraHeader, WantedUser } from "./headers.ts";
import { finalGroups, serviceAccountGroups, setOwn } from "./identity.ts";
import { denial, legacyReason } from "./messages.ts";
import type { FilterContext, FilterResult } from "./types.ts";
import { splitServiceAccountUsername } from "./validation.ts";

function actingAs(requestor: UserInfo, group: string, version: string, resource: string, namespace: string, name: string, subresource = ""): CheckAttributes {
  return checkAttributes(requestor, "impersonate", true, namespace, group, version, resource, subresource, name, "");
}

/** The shapes of the checks above (check-shape.ts): verb `impersonate`, like the legacy mode's. */
const SHAPES = identityShapes("impersonate");

/** Only called with a user name present (the 400 and pass-through cases are decided by headers.ts). */
export function legacyImpersonationFilter(
  ctx: FilterContext,
  wanted: WantedUser,
  extraHeaders: readonly ExtraHeader[],
  requestor: UserInfo,
): FilterResult {
  const requests: CheckAttributes[] = [];
  const shapes: CheckShape[] = [];
  const groupsSpecified = wanted.groups !== null;
  let groups: string[] = [];
  const sa = splitServiceAccountUsername(wanted.name);
  if (sa) {
    requests.push(actingAs(requestor, "", "", "serviceaccounts", sa.namespace, sa.name));
    shapes.push(SHAPES.serviceaccounts);
    if (!groupsSpecified) groups = serviceAccountGroups(sa.namespace);
  } else {
    requests.push(actingAs(requestor, "", "", "users", "", wanted.name));
    shapes.push(SHAPES.users);
  }
  for (const g of wanted.groups ?? []) {
    requests.push(actingAs(requestor, "", "", "groups", "", g));
    shapes.push(SHAPES.groups);
    groups.push(g);
  }
  const extra: Record<string, string[]> = {};
  for (const h of ctx.order.mapOrder(extraHeaders)) {
    for (const v of h.values) {
      requests.push(actingAs(requestor, AUTHENTICATION_GROUP, "v1", "userextras", "", v, h.key));
      shapes.push(SHAPES.userextras);
      if (Object.hasOwn(extra, h.key)) extra[h.key]!.push(v);
      else setOwn(extra, h.key, [v]);
    }
  }
  if (wanted.uid) {
    requests.push(actingAs(requestor, AUTHENTICATION_GROUP, "v1", "uids", "", wanted.uid));
    shapes.push(SHAPES.uids);
  }

  for (let i = 0; i < requests.length; i++) {
    const a = requests[i]!;
    const answer = authorize(ctx, a, shapes[i]!);
    if (answer.error !== undefined || answer.decision !== "allow") {
      return denial(a, legacyReason(answer), answer.reasonIndeterminate);
    }
  }
  const user: UserInfo = { username: wanted.name, uid: wanted.uid, groups: finalGroups(wanted.name, groups), extra };
  return { kind: "allowed", user, constraint: "", mode: "legacy" };
}
