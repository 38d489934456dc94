import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertSeedStable, assertShrinksValid, assertShrinkWithoutContext } from "./_internals/testing/arbitrary-assertions.ts";
import { classifyUsername } from "./_internals/helpers/usernames.ts";
import { serviceAccountName } from "./service-account-name.ts";

const isValidSa = (u: string) => (classifyUsername(u) === "service-account" ? [] : [`${u} is not a valid SA username`]);
const isInvalidSa = (u: string) => (u.startsWith("system:serviceaccount:") && classifyUsername(u) === "other" ? [] : [`${u} is a valid SA username`]);

describe("serviceAccountName", () => {
  it("is seed-stable", () => assertSeedStable(serviceAccountName({ validity: "any" })));

  it("generates valid SA usernames, and SA-looking generic users when asked", () => {
    for (const u of fc.sample(serviceAccountName(), 200)) expect(isValidSa(u)).toEqual([]);
    for (const u of fc.sample(serviceAccountName({ validity: "invalid" }), 200)) expect(isInvalidSa(u)).toEqual([]);
  });

  it("covers the invalid shapes of SPEC §6", () => {
    const seen = fc.sample(serviceAccountName({ validity: "invalid", namespaces: ["ns-a"] }), 400);
    expect(seen).toContain("system:serviceaccount:ns-a");
    expect(seen).toContain("system:serviceaccount:ns-a:APP");
    expect(seen).toContain("system:serviceaccount:NS-A:app");
    expect(seen).toContain("system:serviceaccount:ns-a:app:x");
    expect(seen).toContain("system:serviceaccount::app");
  });

  it("shrinks validly, with and without context (it has an unmapper)", () => {
    assertShrinksValid(serviceAccountName(), isValidSa);
    assertShrinkWithoutContext(serviceAccountName(), isValidSa);
    assertShrinkWithoutContext(serviceAccountName({ validity: "invalid" }), isInvalidSa);
    expect(serviceAccountName().canShrinkWithoutContext("bob")).toBe(false);
  });

  it("rejects bad constraints", () => {
    expect(() => serviceAccountName({ namespaces: [] })).toThrow(/namespaces/);
    expect(() => serviceAccountName({ validity: "x" as never })).toThrow(/validity/);
  });
});
