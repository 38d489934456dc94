import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyUsername } from "./_internals/helpers/usernames.ts";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { type WantedUserClass, wantedUser, WANTED_USER_CLASSES } from "./wanted-user.ts";

const EXPECTED: Record<WantedUserClass, string> = {
  generic: "other",
  node: "node",
  "service-account": "service-account",
  anonymous: "other",
  "invalid-node": "other",
  "invalid-service-account": "other",
};

describe("wantedUser", () => {
  it("is seed-stable", () => assertSeedStable(wantedUser()));

  it("each class classifies as the filter would (SPEC §6)", () => {
    for (const cls of WANTED_USER_CLASSES) {
      for (const u of fc.sample(wantedUser({ classes: { [cls]: 1 } }), 50)) expect(classifyUsername(u), `${cls}: ${u}`).toBe(EXPECTED[cls]);
    }
  });

  it("never produces a requestor-style local name", () => {
    for (const u of fc.sample(wantedUser(), 500)) expect(u).not.toMatch(/^r[0-9]+$/);
  });

  it("shrinks within its classes", () => {
    assertShrinksValid(wantedUser({ classes: { node: 1, "service-account": 1 } }), (u) => (classifyUsername(u) === "other" ? [`${u}`] : []));
  });

  it("rejects bad constraints", () => {
    expect(() => wantedUser({ classes: {} })).toThrow(/positive/);
    expect(() => wantedUser({ classes: { generic: -1 } })).toThrow(/weight/);
    expect(() => wantedUser({ classes: { robot: 1 } as never })).toThrow(/unknown/);
  });
});
