/**
 * SPEC §6 mode 0 and §8: a service account impersonates the node it runs on. Applies iff only the
 * username is set, it is a valid node username, the requestor's name is a valid service-account username
 * and the requestor's `authentication.kubernetes.io/node-name` extra has exactly one value, equal to the
 * node name. Checks (C1', N2) are made as R' (extras replaced by their sorted key list) and N2 names `*`,
 * matching the cache key (`system:node:*`, R'): one entry serves every node of that service account, and
 * the returned name is always this request's node (mode.go associatedNodeImpersonationCheck).
 */
import { NODE_NAME_EXTRA, type UserInfo } from "../../core/index.ts";
import { asUser } from "../check-attributes.ts";
import { associatedNodeRequestor } from "../identity.ts";
import type { WantedUser } from "../headers.ts";
import { nodeNameOf } from "../validation.ts";
import { isServiceAccountUsername, newConstrainedImpersonationMode, onlyUsernameSet, type ImpersonationMode } from "./mode.ts";

/** getExtraValue: the single value of a key, "" unless there is exactly one. */
function getExtraValue(u: UserInfo, key: string): string {
  const values = Object.hasOwn(u.extra, key) ? u.extra[key]! : [];
  return values.length === 1 ? values[0]! : "";
}

export function requesterAssociatedWithRequestedNodeUsername(requestor: UserInfo, username: string): boolean {
  const node = nodeNameOf(username);
  if (node === null || !isServiceAccountUsername(requestor.username)) return false;
  return getExtraValue(requestor, NODE_NAME_EXTRA) === node;
}

export function associatedNodeFilter(wanted: WantedUser, requestor: UserInfo): boolean {
  return onlyUsernameSet(wanted) && requesterAssociatedWithRequestedNodeUsername(requestor, wanted.name);
}

const ANY_NODE: UserInfo = { username: "system:node:*", uid: "", groups: [], extra: {} };

export function associatedNodeImpersonationMode(index: number): ImpersonationMode {
  return newConstrainedImpersonationMode(index, "associated-node", associatedNodeFilter, {
    wrap: (a, requestor) => asUser(a, associatedNodeRequestor(requestor), a.verb === "impersonate:associated-node" ? "*" : a.name),
    keyWanted: ANY_NODE,
    keyRequestor: associatedNodeRequestor,
    finish: (user, wanted) => (user.username === wanted.name ? user : { ...user, username: wanted.name }),
  });
}
