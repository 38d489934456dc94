import { describe, expect, it } from "vitest";
import type { Check, CheckAttributes, Prediction, RequestResult } from "../core/index.ts";
import { userInfo } from "../core/index.ts";
import { compare } from "./compare.ts";

const full = { orderedChecks: true, auditEvents: true, arbitraryRequestors: true };

function attrs(user: string, verb: string, resource: string, name = ""): CheckAttributes {
  return {
    user: userInfo(user, { groups: ["system:authenticated"] }),
    verb,
    resourceRequest: true,
    namespace: "",
    group: "",
    version: "v1",
    resource,
    subresource: "",
    name,
    path: "",
  };
}
const check = (a: CheckAttributes, decidedBy: Check["decidedBy"] = "rbac"): Check => ({ attributes: a, decidedBy });

const base: Prediction = {
  code: 403,
  outcome: "impersonation-denied",
  message: "denied",
  checks: [check(attrs("r", "impersonate-on:user-info:get", "pods", "p")), check(attrs("r", "impersonate", "users", "bob"))],
  user: null,
  constraint: "",
  mode: null,
  indeterminate: [],
};
const observed = (over: Partial<RequestResult> = {}): RequestResult => ({
  code: 403,
  outcome: "impersonation-denied",
  message: "denied",
  checks: base.checks.map((c) => ({ attributes: c.attributes })),
  user: null,
  constraint: "",
  ...over,
});

describe("compare", () => {
  it("matches an identical observation", () => {
    expect(compare(base, observed(), full).diffs).toEqual([]);
  });

  it("reports the first differing check and classifies it", () => {
    const swapped = [...observed().checks].reverse();
    const c = compare(base, observed({ checks: swapped }), full);
    expect(c.diffs.map((d) => d.field)).toEqual(["checks"]);
    expect(c.firstCheckDiff).toMatchObject({ index: 0, fields: ["verb", "resource", "name"] });
    expect(c.classification).toBe("checks: impersonate-on:user-info:get differs in verb, resource, name (mode none)");
  });

  it("notices a check the server skipped", () => {
    const c = compare(base, observed({ checks: observed().checks.slice(0, 1) }), full);
    expect(c.firstCheckDiff).toMatchObject({ index: 1, fields: ["missing"] });
    expect(c.classification).toMatch(/server skipped predicted impersonate/);
  });

  it("drops checks the system:masters authorizer answers, which the recorder cannot see", () => {
    const p = { ...base, checks: [check(attrs("admin", "impersonate-on:user-info:get", "pods"), "privileged-groups"), ...base.checks] };
    expect(compare(p, observed(), full).diffs).toEqual([]);
  });

  it("does not compare a handler-decided code or message, but does compare the outcome", () => {
    const p: Prediction = { ...base, outcome: "allowed", code: null, message: null, checks: [] };
    expect(compare(p, observed({ outcome: "allowed", code: 404, message: "not found", checks: [] }), full).diffs).toEqual([]);
    const c = compare(p, observed({ checks: [] }), full);
    expect(c.diffs.map((d) => d.field)).toEqual(["outcome"]);
    expect(c.classification).toBe("outcome: predicted allowed, observed impersonation-denied (mode none)");
  });

  it("skips, and says so, what the oracle marks indeterminate", () => {
    const p: Prediction = { ...base, message: "x", indeterminate: [{ field: "message", reason: "Go map order" }] };
    const c = compare(p, observed(), full);
    expect(c.diffs).toEqual([]);
    expect(c.skipped).toContainEqual({ field: "message", reason: "Go map order" });
  });

  it("skips checks when the provider has no recorder", () => {
    const c = compare(base, observed({ checks: [] }), { ...full, orderedChecks: false });
    expect(c.diffs).toEqual([]);
    expect(c.skipped.map((s) => s.field)).toContain("checks");
  });

  it("accepts any admissible alternative result", () => {
    const p = { ...base, alternatives: [{ message: "other order" }] } as Prediction;
    expect(compare(p, observed({ message: "other order" }), full).diffs).toEqual([]);
    expect(compare(p, observed({ message: "neither" }), full).diffs.map((d) => d.field)).toEqual(["message"]);
  });

  it("compares users including group order and extras", () => {
    const p: Prediction = { ...base, outcome: "allowed", code: null, message: null, checks: [], user: userInfo("bob", { groups: ["a", "system:authenticated"] }) };
    const o = observed({ outcome: "allowed", checks: [], user: userInfo("bob", { groups: ["system:authenticated", "a"] }) });
    expect(compare(p, o, full).diffs.map((d) => d.field)).toEqual(["user"]);
  });
});
