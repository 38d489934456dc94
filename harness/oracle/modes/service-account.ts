/**
 * SPEC §6 mode 2: a valid service-account username (`system:serviceaccount:<dns-label>:<dns-subdomain>`)
 * and nothing else. Checks C1 then S1 in the service account's namespace; groups are fixed (§9).
 */
import type { WantedUser } from "../headers.ts";
import { isServiceAccountUsername, newConstrainedImpersonationMode, onlyUsernameSet, type ImpersonationMode } from "./mode.ts";

export function serviceAccountFilter(wanted: WantedUser): boolean {
  return onlyUsernameSet(wanted) && isServiceAccountUsername(wanted.name);
}

export function serviceAccountImpersonationMode(index: number): ImpersonationMode {
  return newConstrainedImpersonationMode(index, "serviceaccount", serviceAccountFilter);
}
