import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { attributesFor } from "./request-info.ts";

const segment = fc.oneof(
  fc.constantFrom("api", "apis", "v1", "apps", "namespaces", "ns", "pods", "p", "status", "watch", "proxy", "", "%2F", "%zz", ".."),
  fc.string({ maxLength: 6 }),
);
const path = fc.oneof(
  fc.array(segment, { maxLength: 8 }).map((s) => `/${s.join("/")}`),
  fc.string({ unit: "binary", maxLength: 30 }),
);
const query = fc.array(
  fc.tuple(
    fc.constantFrom("watch", "fieldSelector", "labelSelector", "limit", "timeoutSeconds", "x"),
    fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom("metadata.name=a", "a in (b,c)", "!x", "a>1", "true")),
  ),
  { maxLength: 4 },
).map((ps) => (ps.length === 0 ? "" : `?${ps.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&")}`));
const method = fc.oneof(fc.constantFrom("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"), fc.string({ maxLength: 7 }));
const READ_ONLY = new Set(["get", "list", "watch"]);

describe("attributesFor properties", () => {
  it("never throws, and keeps the contract's invariants", () => {
    fc.assert(
      fc.property(method, path, query, (m, p, q) => {
        const a = attributesFor({ method: m, path: p + q, headers: [] });
        expect(a.readOnly).toBe(READ_ONLY.has(a.verb));
        if (a.resourceRequest) expect(a.path).toBe("");
        else expect([a.namespace, a.group, a.version, a.resource, a.subresource, a.name].join("")).toBe("");
        expect(a.cacheKey === undefined).toBe(a.selectorError === true || a.earlyFailure?.code === 400);
        for (const r of [...(a.fieldSelector ?? []), ...(a.labelSelector ?? [])]) {
          expect(["In", "NotIn", "Exists", "DoesNotExist"]).toContain(r.operator);
        }
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it("is deterministic: equal requests, equal attributes", () => {
    fc.assert(
      fc.property(method, path, query, (m, p, q) => {
        const r = { method: m, path: p + q, headers: [] };
        expect(attributesFor(r)).toEqual(attributesFor(r));
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
