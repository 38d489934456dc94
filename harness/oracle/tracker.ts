/**
 * SPEC §7 steps 5–9 and §11.5–7: constrained_impersonation.go `impersonationModesTracker`.
 *
 * modeIndexCache: an LRU (k8s.io/utils/lru, capacity 10 000, a Get makes an entry most recent) from
 * requestor *name* to the index of the mode that last succeeded. No TTL; only successes write it.
 * Upstream keys on an FNV-128a hash of the name and accepts collisions ("they only change the order");
 * the oracle keys on the name itself. getImpersonatedUser tries the remembered mode first, then every
 * other mode in allModes order, keeps the FIRST error (a not-applicable remembered mode leaves none) and
 * fails closed.
 */
import type { UserInfo } from "../core/index.ts";
import type { WantedUser } from "./headers.ts";
import { allModes } from "./modes/index.ts";
import type { Denial } from "./messages.ts";
import type { FilterContext, FilterResult } from "./types.ts";

export function modeIndexGet(ctx: FilterContext, requestor: UserInfo): number | undefined {
  return ctx.access.modeIndexGet(requestor.username);
}

export function modeIndexSet(ctx: FilterContext, requestor: UserInfo, idx: number): void {
  ctx.access.modeIndexSet(requestor.username, idx);
}

export function getImpersonatedUser(ctx: FilterContext, wanted: WantedUser, requestor: UserInfo): FilterResult {
  let firstErr: Denial | null = null;
  const remembered = modeIndexGet(ctx, requestor);
  if (remembered !== undefined) {
    const mode = allModes[remembered]!;
    const res = mode.check(ctx, wanted, requestor);
    if (res.kind === "allowed") return res;
    if (res.kind === "denied") firstErr = res;
  }
  for (const mode of allModes) {
    if (mode.index === remembered) continue;
    const res = mode.check(ctx, wanted, requestor);
    if (res.kind === "denied") {
      firstErr ??= res;
      continue;
    }
    if (res.kind === "not-applicable") continue;
    modeIndexSet(ctx, requestor, mode.index);
    return res;
  }
  // Legacy always applies, so some mode has failed with an error by now; upstream's generic
  // "all impersonation modes failed" is unreachable.
  if (firstErr === null) throw new Error("impfuzz oracle: no impersonation mode applied (legacy always should)");
  return firstErr;
}
