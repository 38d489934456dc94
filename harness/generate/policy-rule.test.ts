import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { ruleProblems } from "./_internals/testing/validate.ts";
import { policyRule } from "./policy-rule.ts";

describe("policyRule", () => {
  it("is seed-stable", () => assertSeedStable(policyRule()));

  it("is a rule the API accepts, in a ClusterRole or (without non-resource URLs) a Role", () => {
    for (const r of fc.sample(policyRule(), 500)) expect(ruleProblems(r, false, "rule")).toEqual([]);
    for (const r of fc.sample(policyRule({ namespaced: true }), 500)) expect(ruleProblems(r, true, "rule")).toEqual([]);
  });

  it("uses the KEP vocabulary, literal wildcards included", () => {
    const rules = fc.sample(policyRule(), { seed: 4, numRuns: 3000 });
    const verbs = new Set(rules.flatMap((r) => r.verbs));
    for (const v of ["impersonate", "*", "impersonate:associated-node", "impersonate-on:user-info:get", "impersonate-on:arbitrary-node:deletecollection", "get"]) expect(verbs).toContain(v);
    const resources = new Set(rules.flatMap((r) => r.resources ?? []));
    for (const x of ["userextras/*", "*/example.com/scopes", "pods/log", "users", "*"]) expect(resources).toContain(x);
    expect(rules.some((r) => r.resourceNames?.includes("*"))).toBe(true);
    expect(rules.some((r) => r.nonResourceURLs?.includes("/api/*"))).toBe(true);
  });

  it("shrinks into valid rules", () => {
    assertShrinksValid(policyRule(), (r) => ruleProblems(r, false, "rule"), { interesting: (r) => r.verbs.length > 1 });
  });
});
