import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requestorUserInfo } from "./_internals/builders/requestor-user-info.ts";
import { canonicalHeaderKey, readWantedUser } from "./_internals/helpers/headers.ts";
import { classifyUsername, nodeNameOf } from "./_internals/helpers/usernames.ts";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { NODE_NAME_EXTRA } from "./_internals/vocabulary.ts";
import { INTENDED_MODES, type ProbePlan, probePlan } from "./probe-plan.ts";

/** What each intended mode promises about its probes' shape (SPEC §5, §6). */
function shapeProblems(p: ProbePlan): string[] {
  const out: string[] = [];
  const w = readWantedUser(p.headers);
  const onlyUser = w.uid === "" && w.groups.length === 0 && w.extra.length === 0;
  const requestor = requestorUserInfo(p.requestor, "r0");
  const userHeaders = p.headers.filter(([n]) => canonicalHeaderKey(n) === "Impersonate-User");
  const say = (s: string) => out.push(`${p.mode}/${p.variant}: ${s} ${JSON.stringify(p.headers)}`);
  switch (p.mode) {
    case "associated-node": {
      if (classifyUsername(w.name) !== "node") say("not a node");
      if (p.variant.endsWith("+group") === onlyUser) say("group variant mismatch");
      const values = requestor.extra[NODE_NAME_EXTRA] ?? [];
      const applies = onlyUser && classifyUsername(requestor.username) === "service-account" && values.length === 1 && values[0] === nodeNameOf(w.name);
      if (applies !== (p.variant === "exact")) say(`applies=${applies}`);
      break;
    }
    case "arbitrary-node":
      if (classifyUsername(w.name) !== "node" || !onlyUser) say("not a node name alone");
      break;
    case "serviceaccount":
      if (!p.impersonateSelf && (classifyUsername(w.name) !== "service-account" || !onlyUser)) say("not an SA name alone");
      if (p.impersonateSelf && p.requestor.kind !== "service-account") say("self needs an SA requestor");
      break;
    case "user-info":
      if (!p.impersonateSelf && classifyUsername(w.name) !== "other") say("not a generic user");
      if (w.name === "") say("empty user");
      break;
    case "legacy":
      if (p.variant === "only-legacy-applies" && (classifyUsername(w.name) === "other" || onlyUser)) say("constrained could apply");
      break;
    case "no-impersonation":
      if (w.name !== "" || (p.headers.length > 0 && !(p.headers.length === 1 && userHeaders.length === 1))) say("impersonates");
      break;
    case "bad-request":
      if (w.name !== "" || onlyUser) say("not a 400");
      break;
    case "chaos":
      break;
  }
  return out;
}

describe("probePlan", () => {
  it("is seed-stable", () => assertSeedStable(probePlan()));

  it("every mode's probes have the shape that mode needs", () => {
    fc.assert(
      fc.property(probePlan(), (p) => {
        expect(shapeProblems(p)).toEqual([]);
      }),
      { numRuns: 1500, seed: 77 },
    );
  });

  it("draws every intended mode", () => {
    const modes = new Set(fc.sample(probePlan(), { seed: 1, numRuns: 500 }).map((p) => p.mode));
    expect(modes).toEqual(new Set(INTENDED_MODES));
  });

  it("shrinks within the shape of its mode", () => {
    assertShrinksValid(probePlan(), shapeProblems, { interesting: (p) => p.mode !== "user-info" });
  });

  it("rejects bad constraints", () => {
    expect(() => probePlan({ modes: {} })).toThrow(/positive/);
    expect(() => probePlan({ modes: { teleport: 1 } as never })).toThrow(/unknown/);
  });
});
