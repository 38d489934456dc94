/** SPEC §6 mode 1: any valid node username, and nothing but the username. Checks C1 then N1 (node name). */
import type { WantedUser } from "../headers.ts";
import { isNodeUsername, newConstrainedImpersonationMode, onlyUsernameSet, type ImpersonationMode } from "./mode.ts";

export function arbitraryNodeFilter(wanted: WantedUser): boolean {
  return onlyUsernameSet(wanted) && isNodeUsername(wanted.name);
}

export function arbitraryNodeImpersonationMode(index: number): ImpersonationMode {
  return newConstrainedImpersonationMode(index, "arbitrary-node", arbitraryNodeFilter);
}
