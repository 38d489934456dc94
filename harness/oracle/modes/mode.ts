/**
 * SPEC §6 (mode applicability) and §7 (TryMode): a mode is a name plus an applicability filter around
 * the shared checks (mode.go `newConstrainedImpersonationMode`, `allImpersonationModes`). The filter runs
 * before any cache lookup or authorization; a mode that does not apply is `not-applicable`, never denied.
 */
import type { Constraint, ModeName, UserInfo } from "../../core/index.ts";
import { AUTHENTICATION_GROUP, constrainedCheck, identityCheck, identityShapes, type ModeState } from "../checks.ts";
import type { WantedUser } from "../headers.ts";
import { internalize } from "../internalize.ts";
import type { FilterContext, ModeResult } from "../types.ts";
import { nodeNameOf, splitServiceAccountUsername } from "../validation.ts";

/** A constrained mode's filter (mode.go constrainedImpersonationModeFilter): does this mode even apply? */
export type ModeFilter = (wanted: WantedUser, requestor: UserInfo) => boolean;

export interface ImpersonationMode {
  readonly index: number;
  readonly name: ModeName;
  /** `impersonate:<mode>`, or `impersonate` for legacy (the verb upstream's tests name modes by). */
  readonly verb: string;
  readonly applies: ModeFilter;
  check(ctx: FilterContext, wanted: WantedUser, requestor: UserInfo): ModeResult;
}

/** onlyUsernameSet: no uid, no groups, no extras. */
export function onlyUsernameSet(w: WantedUser): boolean {
  return w.uid.length === 0 && (w.groups === null || w.groups.length === 0) && (w.extra === null || w.extra.length === 0);
}

export function isNodeUsername(username: string): boolean {
  return nodeNameOf(username) !== null;
}

export function isServiceAccountUsername(username: string): boolean {
  return splitServiceAccountUsername(username) !== null;
}

/** Hooks only associated-node needs: its authorizer wrapper, its cache-key users and the name fix-up. */
export interface ConstrainedModeOptions {
  readonly wrap?: ModeState["wrap"];
  /** The wanted user of every cache key of this mode (else the one the headers ask for). */
  readonly keyWanted?: UserInfo;
  /** The requestor of the cache keys (else the requestor). */
  readonly keyRequestor?: (requestor: UserInfo) => UserInfo;
  readonly finish?: (user: UserInfo, wanted: WantedUser) => UserInfo;
}

const NOT_APPLICABLE: ModeResult = { kind: "not-applicable" };

export function newConstrainedImpersonationMode(
  index: number,
  name: Exclude<ModeName, "legacy">,
  applies: ModeFilter,
  options: ConstrainedModeOptions = {},
): ImpersonationMode {
  const verb = internalize(`impersonate:${name}`);
  const state: ModeState = {
    verb,
    isConstrainedImpersonation: true,
    usernameAndGroupGroup: AUTHENTICATION_GROUP,
    constraint: verb as Constraint,
    ...(options.wrap ? { wrap: options.wrap } : {}),
    shapes: identityShapes(verb),
  };
  return {
    index,
    name,
    verb: state.verb,
    applies,
    check(ctx, wanted, requestor) {
      if (!applies(wanted, requestor)) return NOT_APPLICABLE;
      const keyRequestor = options.keyRequestor ? options.keyRequestor(requestor) : requestor;
      const res = constrainedCheck(ctx, index, name, state, requestor, wanted, options.keyWanted, keyRequestor);
      if (res.kind !== "allowed" || !options.finish) return res;
      return { kind: "allowed", user: options.finish(res.user, wanted), constraint: res.constraint, mode: res.mode };
    },
  };
}

/** Legacy mode (§7 LegacyIdentity): always applies, verb `impersonate`, core group for users/groups/SAs, no cache. */
export function newLegacyImpersonationMode(index: number): ImpersonationMode {
  const state: ModeState = {
    verb: "impersonate", isConstrainedImpersonation: false, usernameAndGroupGroup: "", constraint: "", shapes: identityShapes("impersonate"),
  };
  return {
    index,
    name: "legacy",
    verb: state.verb,
    applies: () => true,
    check(ctx, wanted, requestor) {
      const res = identityCheck(ctx, state, requestor, wanted);
      return "username" in res ? { kind: "allowed", user: res, constraint: "", mode: "legacy" } : res;
    },
  };
}
