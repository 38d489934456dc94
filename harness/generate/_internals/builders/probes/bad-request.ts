import fc from "fast-check";
import { type HeaderList, IMPERSONATE_GROUP, IMPERSONATE_USER, readWantedUser } from "../../helpers/headers.ts";
import { weighted } from "../../helpers/weighted.ts";
import { grantPlan } from "../../../grant-plan.ts";
import { impersonationHeaders } from "../../../impersonation-headers.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";

/**
 * Impersonation headers without a user name (absent or empty Impersonate-User): 400 whatever the
 * grants (SPEC §5, §10.1) (@internal). At least one uid/group/extra header is always sent.
 */
export function badRequestProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({
      requestor: requestor(),
      user: weighted<"absent" | "empty">([
        ["absent", 3],
        ["empty", 1],
      ]),
      rest: impersonationHeaders({ user: fc.constant(null) }),
      target: targetRequest(),
      grant: grantPlan(),
    })
    .map(({ requestor: spec, user, rest, target, grant }): ProbePlan => {
      const body: HeaderList = readWantedUser(rest).present ? rest : [[IMPERSONATE_GROUP, "viewers"]];
      const w = readWantedUser(body);
      const what = [w.uid ? "uid" : "", w.groups.length ? "groups" : "", w.extra.length ? "extras" : ""].filter(Boolean).join("+");
      return {
        mode: "bad-request",
        variant: `${user}-user+${what}`,
        requestor: spec,
        headers: user === "empty" ? [[IMPERSONATE_USER, ""], ...body] : body,
        impersonateSelf: false,
        target,
        grant,
        grantMode: "legacy",
      };
    });
}
