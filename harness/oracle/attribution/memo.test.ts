import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { memoize2 } from "./memo.ts";

describe("memoize2", () => {
  it("answers every pair as the function does, and computes each pair once while under its limit", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom("GET", "POST", "PUT"), fc.constantFrom("/a", "/b", "/c", "/d")), { maxLength: 60 }), fc.integer({ min: 1, max: 16 }), (pairs, limit) => {
        let calls = 0;
        const f = memoize2(limit, (a, b) => {
          calls++;
          return `${a} ${b}`;
        });
        for (const [a, b] of pairs) expect(f(a, b)).toBe(`${a} ${b}`);
        const distinct = new Set(pairs.map(([a, b]) => `${a} ${b}`)).size;
        if (distinct <= limit) expect(calls).toBe(distinct);
        else expect(calls).toBeLessThanOrEqual(pairs.length);
      }),
      { numRuns: 300 },
    );
  });

  it("tells apart first arguments that share a second", () => {
    const f = memoize2(16, (a, b) => `${a}:${b}`);
    expect([f("GET", "/x"), f("POST", "/x"), f("GET", "/x"), f("DELETE", "/x")]).toEqual(["GET:/x", "POST:/x", "GET:/x", "DELETE:/x"]);
  });
});
