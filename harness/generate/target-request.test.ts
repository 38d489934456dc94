import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { probeProblems } from "./_internals/testing/validate.ts";
import { hasDryRunAll, TARGET_KINDS, type TargetRequest, targetRequest } from "./target-request.ts";

function problems(t: TargetRequest): string[] {
  const p = probeProblems({ requestor: { username: "r0", uid: "", groups: [], extra: {} }, request: { method: t.method, path: t.path, headers: [], body: t.body } }, t.kind);
  const a = t.attributes;
  const path = t.path.split("?")[0]!;
  if (a.path !== path) p.push(`attributes.path ${a.path} vs ${path}`);
  const ns = /\/namespaces\/([^/]+)\//.exec(path)?.[1] ?? "";
  if (a.namespace !== ns) p.push(`namespace ${a.namespace} vs path ${ns}`);
  const expectMethod: Record<string, string> = { get: "GET", list: "GET", watch: "GET", create: "POST", update: "PUT", patch: "PATCH", delete: "DELETE", deletecollection: "DELETE" };
  if (expectMethod[a.verb] !== t.method) p.push(`verb ${a.verb} with ${t.method}`);
  if ((a.verb === "watch") !== t.path.includes("watch=true")) p.push("watch flag");
  if (a.verb === "create" && a.name !== "") p.push("create with a name");
  if (a.resourceRequest === (t.kind === "non-resource")) p.push("resourceRequest");
  return p;
}

describe("targetRequest", () => {
  it("is seed-stable", () => assertSeedStable(targetRequest()));

  it("is safe and self-consistent: dry-run mutations, bounded watches, bodies named like the path", () => {
    fc.assert(fc.property(targetRequest(), (t) => {
      expect(problems(t)).toEqual([]);
    }), { numRuns: 1000, seed: 3 });
  });

  it("only selfsubjectreviews may mutate without dryRun=All", () => {
    for (const t of fc.sample(targetRequest(), 2000)) {
      if (["POST", "PUT", "PATCH", "DELETE"].includes(t.method)) expect(hasDryRunAll(t.path) || t.kind === "selfsubjectreviews").toBe(true);
    }
  });

  it("reaches every kind and verb, selectors, and list-by-name", () => {
    const ts = fc.sample(targetRequest(), { seed: 9, numRuns: 3000 });
    expect(new Set(ts.map((t) => t.kind))).toEqual(new Set(TARGET_KINDS));
    expect(new Set(ts.filter((t) => t.kind === "pods").map((t) => t.attributes.verb)).size).toBe(8);
    expect(new Set(ts.filter((t) => t.kind === "nodes").map((t) => t.attributes.verb)).size).toBe(8);
    expect(ts.some((t) => t.path.includes("fieldSelector=spec.nodeName%3Dnode1"))).toBe(true);
    expect(ts.some((t) => t.path.includes("labelSelector=app%3Dweb"))).toBe(true);
    expect(ts.some((t) => t.attributes.verb === "list" && t.attributes.name !== "")).toBe(true);
    expect(ts.some((t) => t.path === "/healthz")).toBe(true);
    expect(ts.some((t) => t.path === "/apis/authentication.k8s.io/v1/selfsubjectreviews")).toBe(true);
    expect(ts.some((t) => t.attributes.namespace === "default")).toBe(true);
    expect(ts.some((t) => t.attributes.subresource === "status" && t.method === "PUT")).toBe(true);
  });

  it("shrinks into safe requests", () => {
    assertShrinksValid(targetRequest(), problems, { interesting: (t) => t.method !== "GET" });
  });

  it("rejects bad constraints", () => {
    expect(() => targetRequest({ kinds: {} })).toThrow(/positive/);
    expect(() => targetRequest({ kinds: { volumes: 1 } as never })).toThrow(/unknown/);
  });
});
