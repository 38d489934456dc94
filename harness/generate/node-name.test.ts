import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { classifyUsername, isDnsSubdomain } from "./_internals/helpers/usernames.ts";
import { nodeName } from "./node-name.ts";

describe("nodeName", () => {
  it("is seed-stable", () => assertSeedStable(nodeName({ validity: "any" })));

  it("valid names make node usernames, invalid ones generic users (SPEC §6)", () => {
    for (const n of fc.sample(nodeName({ validity: "valid" }), 100)) {
      expect(isDnsSubdomain(n)).toBe(true);
      expect(classifyUsername(`system:node:${n}`)).toBe("node");
    }
    for (const n of fc.sample(nodeName({ validity: "invalid" }), 100)) expect(classifyUsername(`system:node:${n}`)).toBe("other");
  });

  it("covers the named edge spellings", () => {
    const seen = new Set(fc.sample(nodeName({ validity: "invalid" }), 300));
    for (const n of ["Node1", "", "a:b"]) expect(seen).toContain(n);
  });

  it("shrinks within its validity", () => {
    assertShrinksValid(nodeName({ validity: "valid" }), (n) => (isDnsSubdomain(n) ? [] : [`${n} invalid`]));
  });

  it("rejects a bad constraint", () => {
    expect(() => nodeName({ validity: "maybe" as never })).toThrow(/validity/);
  });
});
