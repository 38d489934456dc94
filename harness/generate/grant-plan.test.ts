import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertSeedStable } from "./_internals/testing/arbitrary-assertions.ts";
import { grantPlan } from "./grant-plan.ts";

describe("grantPlan", () => {
  it("is seed-stable", () => assertSeedStable(grantPlan()));

  it("grants everything a mode needs about half the time, and leaves the request ungranted about a third", () => {
    const plans = fc.sample(grantPlan(), { seed: 12, numRuns: 3000 });
    const share = (f: (p: (typeof plans)[number]) => boolean) => plans.filter(f).length / plans.length;
    expect(share((p) => p.completeness === "full")).toBeGreaterThan(0.42);
    expect(share((p) => p.completeness === "full")).toBeLessThan(0.58);
    expect(share((p) => p.completeness === "partial")).toBeGreaterThan(0.22);
    expect(share((p) => p.completeness === "none")).toBeGreaterThan(0.13);
    expect(share((p) => !p.finalGrant)).toBeGreaterThan(0.25);
    expect(share((p) => !p.finalGrant)).toBeLessThan(0.42);
    expect(share((p) => p.alsoLegacy)).toBeGreaterThan(0.15);
  });

  it("honours and checks its constraints", () => {
    expect(fc.sample(grantPlan({ completeness: { full: 1 }, legacyOneIn: 0, noFinalGrantOneIn: 0 }), 50).every((p) => p.completeness === "full" && !p.alsoLegacy && p.finalGrant)).toBe(true);
    expect(() => grantPlan({ completeness: { full: -1 } })).toThrow(/full/);
    expect(() => grantPlan({ legacyOneIn: 1.5 })).toThrow(/legacyOneIn/);
    expect(() => grantPlan({ completeness: { full: 0, partial: 0, none: 0 } })).toThrow(/weight/);
  });
});
