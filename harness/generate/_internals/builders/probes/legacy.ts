import fc from "fast-check";
import { type HeaderList, IMPERSONATE_GROUP, IMPERSONATE_USER, readWantedUser, spell } from "../../helpers/headers.ts";
import { spellingArb } from "../../helpers/spelling-arb.ts";
import { rarely } from "../../helpers/weighted.ts";
import { grantPlan } from "../../../grant-plan.ts";
import { impersonationHeaders } from "../../../impersonation-headers.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";
import { wantedUser } from "../../../wanted-user.ts";

const NODE_OR_SA = { node: 1, "service-account": 1 } as const;

/** A node/SA name plus another header: no constrained mode applies, only legacy (SPEC §6, §16.6). */
function onlyLegacy(): fc.Arbitrary<{ variant: string; headers: HeaderList; self: boolean }> {
  return impersonationHeaders({ user: wantedUser({ classes: NODE_OR_SA }) }).map((headers) => {
    const w = readWantedUser(headers);
    const alone = w.uid === "" && w.groups.length === 0 && w.extra.length === 0;
    return { variant: "only-legacy-applies", headers: alone ? [...headers, [IMPERSONATE_GROUP, "viewers"] as const] : headers, self: false };
  });
}

/** A name user-info would take, with anything else: a constrained mode fails first, then legacy (SPEC §7 step 8). */
function fallback(): fc.Arbitrary<{ variant: string; headers: HeaderList; self: boolean }> {
  return fc
    .record({
      headers: impersonationHeaders({ user: wantedUser({ classes: { generic: 6, anonymous: 1, "invalid-node": 1, "invalid-service-account": 1 } }) }),
      self: rarely(10),
    })
    .map(({ headers, self }) => ({ variant: self ? "fallback-self" : "fallback", headers, self }));
}

/** A node/SA name alone: the constrained mode applies, fails, then legacy. */
function nameOnly(): fc.Arbitrary<{ variant: string; headers: HeaderList; self: boolean }> {
  return fc
    .tuple(wantedUser({ classes: NODE_OR_SA }), spellingArb())
    .map(([user, spelling]) => ({ variant: "node-or-sa-alone", headers: [[spell(IMPERSONATE_USER, spelling), user] as const], self: false }));
}

/** Impersonation meant to succeed (or fail) through legacy `impersonate` (@internal). */
export function legacyProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({
      requestor: requestor(),
      shape: fc.oneof({ withCrossShrink: true }, { arbitrary: fallback(), weight: 4 }, { arbitrary: onlyLegacy(), weight: 5 }, { arbitrary: nameOnly(), weight: 2 }),
      target: targetRequest(),
      grant: grantPlan(),
    })
    .map(
      ({ requestor: spec, shape, target, grant }): ProbePlan => ({
        mode: "legacy",
        variant: shape.variant,
        requestor: shape.self ? { ...spec, kind: "user" } : spec,
        headers: shape.headers,
        impersonateSelf: shape.self,
        target,
        grant,
        grantMode: "legacy",
      }),
    );
}
