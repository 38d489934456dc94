/**
 * SPEC §6 mode 4 and §7 LegacyIdentity: the re-implementation of legacy impersonation inside the
 * constrained filter. Always applies; no impersonate-on, no cache, no sanity checks, no wildcard; verb
 * `impersonate`; users/groups/serviceaccounts in the core group with version v1 (unlike gate OFF, §16.13).
 */
import { newLegacyImpersonationMode, type ImpersonationMode } from "./mode.ts";

export function legacyImpersonationMode(index: number): ImpersonationMode {
  return newLegacyImpersonationMode(index);
}
