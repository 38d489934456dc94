import fc from "fast-check";
import { passesSanityChecks, readWantedUser } from "../../helpers/headers.ts";
import { rarely } from "../../helpers/weighted.ts";
import { PLAIN_EXTRA_VALUES, PLAIN_GROUPS, TARGET_LOCAL_GROUPS } from "../../vocabulary.ts";
import { extraKey } from "../../../extra-key.ts";
import { grantPlan } from "../../../grant-plan.ts";
import { impersonationHeaders } from "../../../impersonation-headers.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";
import { wantedUser } from "../../../wanted-user.ts";

/** Names that only user-info (or legacy) can impersonate: generic, anonymous, malformed node/SA names. */
const USER_INFO_CLASSES = { generic: 8, anonymous: 1, "invalid-node": 1, "invalid-service-account": 1 } as const;

const saneGroup = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constantFrom(...PLAIN_GROUPS), weight: 5 },
  { arbitrary: fc.constantFrom(...TARGET_LOCAL_GROUPS), weight: 3 },
  { arbitrary: fc.constantFrom("system:authenticated", "system:unauthenticated", "*"), weight: 1 },
);

/**
 * A user-info impersonation (@internal): a generic user with uid, groups and extras. Seven in ten pass
 * the sanity checks (so full grants succeed); the rest carry `""`/`system:masters` groups, invalid
 * or upper-case keys, or empty values, which only legacy can grant.
 */
export function userInfoProbe(): fc.Arbitrary<ProbePlan> {
  const user = wantedUser({ classes: USER_INFO_CLASSES });
  const sane = impersonationHeaders({ user, group: saneGroup, extraKey: extraKey({ validity: "valid" }), extraValue: fc.constantFrom(...PLAIN_EXTRA_VALUES) });
  const any = impersonationHeaders({ user });
  return fc
    .record({
      requestor: requestor(),
      headers: fc.oneof({ withCrossShrink: true }, { arbitrary: sane, weight: 7 }, { arbitrary: any, weight: 3 }),
      self: rarely(10),
      target: targetRequest(),
      grant: grantPlan(),
    })
    .map(({ requestor: spec, headers, self, target, grant }): ProbePlan => {
      const w = readWantedUser(headers);
      const shape = w.uid === "" && w.groups.length === 0 && w.extra.length === 0 ? "name-only" : passesSanityChecks(w) ? "sane" : "insane";
      return {
        mode: "user-info",
        variant: self ? `self+${shape}` : shape,
        // oneself is a generic user only as a plain-user requestor
        requestor: self ? { ...spec, kind: "user" } : spec,
        headers,
        impersonateSelf: self,
        target,
        grant,
        grantMode: "user-info",
      };
    });
}
