import { describe, expect, it } from "vitest";
import { isDuration, parseDuration } from "./duration.ts";
import { messageMatches, scenarioSchema, stepKind } from "./schema.ts";
import { parseVersionRange, versionSatisfies } from "./version-range.ts";

const minimal = {
  apiVersion: "impfuzz/v1",
  kind: "Scenario",
  metadata: { name: "minimal" },
  spec: { steps: [{ request: { as: { user: "alice" }, method: "GET", path: "/api" } }] },
};

describe("scenarioSchema", () => {
  it("accepts a minimal scenario and fills the defaults", () => {
    const s = scenarioSchema.parse(minimal);
    expect(s.spec.gate).toBe(true);
    expect(s.spec.objects).toEqual([]);
    expect(stepKind(s.spec.steps[0]!)).toBe("request");
  });

  it("accepts every step kind and the optional fields impfuzz adds", () => {
    const s = scenarioSchema.parse({
      ...minimal,
      metadata: { name: "all-kinds", description: "d", source: "s", labels: { origin: "test" } },
      spec: {
        versions: ">=1.35 <1.37 || 1.37.x",
        gate: false,
        notes: "free text",
        objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "bar" } }],
        steps: [
          {
            name: "probe",
            request: {
              as: { user: "a", uid: "u", groups: ["g"], extra: { "example.com/k": ["v"] } },
              impersonate: { user: "b", uid: "", groups: [""], extra: {} },
              headers: { "Impersonate-Extra-x%2Fy": ["1"] },
              method: "POST",
              path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
              body: { kind: "SelfSubjectReview", apiVersion: "authentication.k8s.io/v1" },
            },
            expect: {
              code: 201,
              outcome: "allowed",
              message: { regex: "^x" },
              user: { username: "b" },
              constraint: "",
              checks: [{}, { user: "a", group: "", path: "/x" }],
            },
          },
          { apply: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "r" }, rules: [{ verbs: ["get"], nonResourceURLs: ["/x"] }] }] },
          { delete: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", name: "r" }] },
          { wait: "1m30s" },
        ],
      },
    });
    expect(s.spec.steps.map(stepKind)).toEqual(["request", "apply", "delete", "wait"]);
  });

  it("rejects unknown fields at every level", () => {
    expect(scenarioSchema.safeParse({ ...minimal, extra: 1 }).success).toBe(false);
    expect(scenarioSchema.safeParse({ ...minimal, spec: { ...minimal.spec, gates: true } }).success).toBe(false);
    const step = { request: { as: { user: "a" }, method: "GET", path: "/" }, expect: { outcomes: "allowed" } };
    expect(scenarioSchema.safeParse({ ...minimal, spec: { steps: [step] } }).success).toBe(false);
  });

  it("checks RBAC manifests field by field but lets other kinds through", () => {
    const rbac = (rules: unknown) => ({ ...minimal, spec: { ...minimal.spec, objects: [{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "x" }, rules }] } });
    expect(scenarioSchema.safeParse(rbac([{ verbs: ["get"], resources: ["pods"] }])).success).toBe(true);
    expect(scenarioSchema.safeParse(rbac([{ verb: ["get"] }])).success).toBe(false);
    const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "n" }, spec: { nodeName: "node1", anything: [1] } };
    expect(scenarioSchema.safeParse({ ...minimal, spec: { ...minimal.spec, objects: [pod] } }).success).toBe(true);
  });
});

describe("messageMatches", () => {
  it("compares exactly, by substring or by regex", () => {
    expect(messageMatches("a b", "a b")).toBe(true);
    expect(messageMatches("a", "a b")).toBe(false);
    expect(messageMatches({ contains: "b" }, "a b")).toBe(true);
    expect(messageMatches({ regex: "^a( b)?$" }, "a")).toBe(true);
  });
});

describe("version ranges", () => {
  it.each([
    [">=1.35", "1.35.0", true],
    [">=1.35", "1.34.9", false],
    ["<1.37", "1.36.3", true],
    ["<1.37", "1.37.0-beta.0", false],
    ["1.36.x", "1.36.3", true],
    ["1.36.x", "1.37.2", false],
    ["1.37.x", "1.37.0-beta.0", true],
    [">=1.37", "1.37.0-beta.0", true],
    [">=1.35 <1.37", "1.36.0", true],
    [">=1.35 <1.37", "1.37.2", false],
    ["1.35.x || >=1.37", "1.36.3", false],
    ["1.35.x || >=1.37", "1.37.2", true],
    [">1.35", "1.35.9", false],
    [">1.35", "1.36.0", true],
    ["<=1.36", "1.36.9", true],
    ["1.35.4", "1.35.4", true],
    ["1.35.4", "1.35.5", false],
    ["*", "1.35.4", true],
    [">= 1.36", "v1.36.3", true],
  ])("%s contains %s: %s", (range, version, want) => {
    expect(versionSatisfies(version, range)).toBe(want);
  });

  it.each(["", ">=", "1.x.3", "latest", ">=1.35 ||", "~1.35"])("rejects %j", (range) => {
    expect(() => parseVersionRange(range)).toThrow();
  });
});

describe("durations", () => {
  it.each([
    ["11s", 11_000],
    ["500ms", 500],
    ["1m30s", 90_000],
    ["1.5s", 1500],
    ["2h", 7_200_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(["", "10", "s", "1 s", "-1s", "1d"])("rejects %j", (text) => {
    expect(isDuration(text)).toBe(false);
  });
});
