/**
 * SPEC §6 mode 3: every username that is neither a valid node nor a valid service-account username (so
 * `system:node:Foo` or `system:serviceaccount:ns` land here, §16.5); uid, groups and extras are allowed.
 */
import type { WantedUser } from "../headers.ts";
import { isNodeUsername, isServiceAccountUsername, newConstrainedImpersonationMode, type ImpersonationMode } from "./mode.ts";

export function userInfoFilter(wanted: WantedUser): boolean {
  return !isNodeUsername(wanted.name) && !isServiceAccountUsername(wanted.name);
}

export function userInfoImpersonationMode(index: number): ImpersonationMode {
  return newConstrainedImpersonationMode(index, "user-info", userInfoFilter);
}
