import fc from "fast-check";
import { IMPERSONATE_USER, spell } from "../../helpers/headers.ts";
import { spellingArb } from "../../helpers/spelling-arb.ts";
import { NODE_PREFIX } from "../../helpers/usernames.ts";
import { weighted } from "../../helpers/weighted.ts";
import { NODE_NAME_EXTRA, VALID_NODE_NAMES } from "../../vocabulary.ts";
import { grantPlan } from "../../../grant-plan.ts";
import { nodeName } from "../../../node-name.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";

/**
 * Any requestor impersonating a node by name alone (@internal). Usually not associated with it; in
 * `associated` the requestor is an SA on that very node, so associated-node is tried (and, lacking
 * its grants, fails) first: arbitrary-node then succeeds after a fallback.
 */
export function arbitraryNodeProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({
      requestor: requestor({ nodeNameExtras: false }),
      node: nodeName(),
      association: weighted<"none" | "other-node" | "associated">([
        ["none", 7],
        ["other-node", 2],
        ["associated", 2],
      ]),
      spelling: spellingArb(),
      target: targetRequest(),
      grant: grantPlan(),
    })
    .map(({ requestor: spec, node, association, spelling, target, grant }): ProbePlan => {
      const extra: Record<string, readonly string[]> = { ...spec.extra };
      if (association === "other-node") extra[NODE_NAME_EXTRA] = [VALID_NODE_NAMES.find((n) => n !== node)!];
      if (association === "associated") extra[NODE_NAME_EXTRA] = [node];
      return {
        mode: "arbitrary-node",
        variant: association,
        requestor: association === "associated" ? { ...spec, kind: "service-account", extra } : { ...spec, extra },
        headers: [[spell(IMPERSONATE_USER, spelling), NODE_PREFIX + node]],
        impersonateSelf: false,
        target,
        grant,
        grantMode: "arbitrary-node",
      };
    });
}
