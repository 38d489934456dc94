import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONSTRAINED_MODES } from "../core/index.ts";
import { attributesFor } from "./attribution/request-info.ts";
import { NO_SHAPE, checkShape, shapeParts } from "./check-shape.ts";
import { requestShapes } from "./checks.ts";
import { allModes } from "./modes/index.ts";

describe("check shapes", () => {
  it("one shape per (verb, resource) of resource checks and per verb of non-resource checks", () => {
    fc.assert(
      fc.property(fc.string(), fc.boolean(), fc.string(), fc.string(), (verb, resourceRequest, resource, otherResource) => {
        const shape = checkShape(verb, resourceRequest, resource);
        expect(shape).not.toBe(NO_SHAPE);
        expect(checkShape(verb, resourceRequest, resource)).toBe(shape);
        expect(shapeParts(shape)).toEqual({ verb, resourceRequest, resource: resourceRequest ? resource : "" });
        // A non-resource check has no resource to tell it apart by; a resource check does.
        expect(checkShape(verb, resourceRequest, otherResource) === shape).toBe(!resourceRequest || otherResource === resource);
        expect(checkShape(verb, !resourceRequest, resource)).not.toBe(shape);
      }),
      { numRuns: 300 },
    );
  });

  it("a request's impersonate-on verbs and shapes are those of allModes' constrained modes, in index order", () => {
    const a = attributesFor({ method: "GET", path: "/api/v1/namespaces/dev/pods/p", headers: [] });
    const shapes = requestShapes(a);
    for (let i = 0; i < CONSTRAINED_MODES.length; i++) {
      expect(shapes.onVerbs[i]).toBe(`impersonate-on:${allModes[i]!.name}:get`);
      expect(shapes.on[i]).toBe(checkShape(`impersonate-on:${allModes[i]!.name}:get`, true, "pods"));
    }
    expect(shapes.final).toBe(checkShape("get", true, "pods"));
  });

  it("rejects a shape it never handed out", () => {
    expect(() => shapeParts(1e9)).toThrow(/unknown check shape/);
  });
});
