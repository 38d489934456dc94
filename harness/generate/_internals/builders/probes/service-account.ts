import fc from "fast-check";
import { IMPERSONATE_USER, spell } from "../../helpers/headers.ts";
import { spellingArb } from "../../helpers/spelling-arb.ts";
import { rarely } from "../../helpers/weighted.ts";
import { grantPlan } from "../../../grant-plan.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { serviceAccountName } from "../../../service-account-name.ts";
import { targetRequest } from "../../../target-request.ts";

/** Any requestor impersonating a valid service account by name alone, sometimes itself (@internal). */
export function serviceAccountProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({
      requestor: requestor(),
      serviceAccount: serviceAccountName(),
      self: rarely(12),
      spelling: spellingArb(),
      target: targetRequest(),
      grant: grantPlan(),
    })
    .map(
      ({ requestor: spec, serviceAccount, self, spelling, target, grant }): ProbePlan => ({
        mode: "serviceaccount",
        variant: self ? "self" : serviceAccount.includes(":ns-") ? "pool-namespace" : "shared-namespace",
        // impersonating oneself as an SA needs an SA requestor
        requestor: self ? { ...spec, kind: "service-account" } : spec,
        headers: [[spell(IMPERSONATE_USER, spelling), serviceAccount]],
        impersonateSelf: self,
        target,
        grant,
        grantMode: "serviceaccount",
      }),
    );
}
