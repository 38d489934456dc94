import fc from "fast-check";
import { CONSTRAINED_MODES } from "../../../../core/index.ts";
import { rarely } from "../../helpers/weighted.ts";
import type { GrantMode } from "../grants.ts";
import { grantPlan } from "../../../grant-plan.ts";
import { impersonationHeaders } from "../../../impersonation-headers.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";

/** Anything with anything (@internal): random requestor and headers, grants cut for a random mode. */
export function chaosProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({
      requestor: requestor(),
      headers: impersonationHeaders(),
      self: rarely(15),
      target: targetRequest(),
      grant: grantPlan(),
      grantMode: fc.constantFrom<GrantMode>("user-info", "legacy", ...CONSTRAINED_MODES.filter((m) => m !== "user-info"), "none"),
    })
    .map(
      ({ requestor: spec, headers, self, target, grant, grantMode }): ProbePlan => ({
        mode: "chaos",
        variant: `grants-for-${grantMode}`,
        requestor: spec,
        headers,
        impersonateSelf: self,
        target,
        grant,
        grantMode,
      }),
    );
}
