import fc from "fast-check";
import { rarely } from "../../helpers/weighted.ts";
import { grantPlan } from "../../../grant-plan.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";

/**
 * A plain request as the requestor (@internal). Rarely it carries `Impersonate-User: ""` and nothing
 * else, which the filter also treats as no impersonation (SPEC §5).
 */
export function noImpersonationProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({ requestor: requestor(), emptyUser: rarely(12), target: targetRequest(), grant: grantPlan() })
    .map(
      ({ requestor: spec, emptyUser, target, grant }): ProbePlan => ({
        mode: "no-impersonation",
        variant: emptyUser ? "empty-user-header" : "no-headers",
        requestor: spec,
        headers: emptyUser ? [["Impersonate-User", ""]] : [],
        impersonateSelf: false,
        target,
        grant,
        grantMode: "none",
      }),
    );
}
