/**
 * Oracle invariants about outcomes (SPEC §7, §9): more permissions never hurt on a cold cache, the
 * resulting groups follow §9 exactly, and with legacy-only permissions both gates agree.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import type { ImpersonationRequest } from "../harness/core/index.ts";
import {
  GRANT_CATALOGUE, RUNS, VALID_SA_NAMES, grantArb, grantAuthorizer, grantsAndOneMoreArb, grantsArb, predictOne, requestorArb, wantedArb,
} from "./oracle-arbitraries.ts";

test.prop([grantsAndOneMoreArb, requestorArb, wantedArb, fc.nat({ max: 3 })], { numRuns: RUNS })(
  "granting one more allow never turns a cache-cold success into a denial (each missing catalogue grant, and a free one)",
  ([grants, free], requestor, wanted, request) => {
    const before = predictOne(grantAuthorizer(grants), requestor, wanted, request).prediction;
    if (before.outcome === "impersonation-denied" || before.outcome === "bad-request") return;
    for (const extra of [free, ...GRANT_CATALOGUE.filter((g) => !grants.includes(g))]) {
      const after = predictOne(grantAuthorizer([...grants, extra]), requestor, wanted, request).prediction;
      expect(after.outcome, JSON.stringify(extra)).not.toBe("impersonation-denied");
      if (before.outcome === "allowed") expect(after.outcome, JSON.stringify(extra)).toBe("allowed");
    }
  },
);

/** SPEC §9, written out independently of identity.ts. */
function expectedGroups(mode: string, w: ImpersonationRequest): string[] {
  const name = w.user!;
  let groups = [...(w.groups ?? [])];
  if (mode === "associated-node" || mode === "arbitrary-node") groups = ["system:nodes"];
  else if (VALID_SA_NAMES.has(name) && groups.length === 0) groups = ["system:serviceaccounts", `system:serviceaccounts:${name.split(":")[2]}`];
  if (name === "system:anonymous") return groups.includes("system:unauthenticated") ? groups : [...groups, "system:unauthenticated"];
  if (groups.includes("system:unauthenticated") || groups.includes("system:authenticated")) return groups;
  return [...groups, "system:authenticated"];
}

test.prop([grantsArb, requestorArb, wantedArb, fc.nat({ max: 3 }), fc.boolean()], { numRuns: RUNS })(
  "the resulting groups follow §9 exactly (both gates)",
  (grants, requestor, wanted, request, gate) => {
    const p = predictOne(grantAuthorizer(grants), requestor, wanted, request, { gate }).prediction;
    if (p.mode === null) return;
    expect(p.user!.username).toBe(wanted.user);
    expect([...p.user!.groups]).toEqual(expectedGroups(p.mode, wanted));
  },
);

test.prop([fc.array(grantArb.filter((g) => g.verb === "impersonate" || !g.verb.startsWith("impersonate")), { maxLength: 10 }), requestorArb, wantedArb, fc.nat({ max: 3 })], {
  numRuns: RUNS,
})("with legacy-only permissions the constrained filter answers as the gate-off filter (code, outcome, user)", (grants, requestor, wanted, request) => {
  const on = predictOne(grantAuthorizer(grants), requestor, wanted, request, { gate: true }).prediction;
  const off = predictOne(grantAuthorizer(grants), requestor, wanted, request, { gate: false }).prediction;
  expect([on.code, on.outcome, on.user]).toEqual([off.code, off.outcome, off.user]);
});
