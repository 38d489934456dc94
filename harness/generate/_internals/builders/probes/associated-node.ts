import fc from "fast-check";
import { IMPERSONATE_GROUP, IMPERSONATE_USER, spell } from "../../helpers/headers.ts";
import { spellingArb } from "../../helpers/spelling-arb.ts";
import { NODE_PREFIX } from "../../helpers/usernames.ts";
import { rarely, weighted } from "../../helpers/weighted.ts";
import { NODE_NAME_EXTRA, VALID_NODE_NAMES } from "../../vocabulary.ts";
import { grantPlan } from "../../../grant-plan.ts";
import { nodeName } from "../../../node-name.ts";
import type { ProbePlan } from "../../../probe-plan.ts";
import { requestor } from "../../../requestor.ts";
import { targetRequest } from "../../../target-request.ts";

/**
 * How the requestor relates to the impersonated node (SPEC §6, §8): exactly one matching node-name
 * extra (associated-node applies), a different node, none, two values (same or different), or the
 * right extra on a requestor that is not a service account.
 */
const ASSOCIATIONS = ["exact", "mismatch", "absent", "two-same", "two-different", "not-service-account"] as const;
type Association = (typeof ASSOCIATIONS)[number];

/** An SA requestor impersonating "its" node: `Impersonate-User: system:node:<n>` alone (@internal). */
export function associatedNodeProbe(): fc.Arbitrary<ProbePlan> {
  return fc
    .record({
      requestor: requestor({ kinds: { "service-account": 1 }, nodeNameExtras: false }),
      node: nodeName(),
      association: weighted<Association>([
        ["exact", 14],
        ["mismatch", 2],
        ["absent", 1],
        ["two-same", 1],
        ["two-different", 1],
        ["not-service-account", 2],
      ]),
      withGroup: rarely(12),
      spelling: spellingArb(),
      target: targetRequest(),
      grant: grantPlan(),
    })
    .map(({ requestor: spec, node, association, withGroup, spelling, target, grant }): ProbePlan => {
      const other = VALID_NODE_NAMES.find((n) => n !== node)!;
      const values: Record<Association, readonly string[]> = {
        exact: [node],
        mismatch: [other],
        absent: [],
        "two-same": [node, node],
        "two-different": [node, other],
        "not-service-account": [node],
      };
      const extra: Record<string, readonly string[]> = { ...spec.extra };
      delete extra[NODE_NAME_EXTRA];
      if (values[association].length) extra[NODE_NAME_EXTRA] = values[association];
      const headers: [string, string][] = [[spell(IMPERSONATE_USER, spelling), NODE_PREFIX + node]];
      if (withGroup) headers.push([spell(IMPERSONATE_GROUP, spelling), "system:nodes"]);
      return {
        mode: "associated-node",
        variant: withGroup ? `${association}+group` : association,
        requestor: { ...spec, kind: association === "not-service-account" ? "user" : "service-account", extra },
        headers,
        impersonateSelf: false,
        target,
        grant,
        grantMode: "associated-node",
      };
    });
}
