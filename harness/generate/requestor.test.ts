import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requestorUserInfo } from "./_internals/builders/requestor-user-info.ts";
import { classifyUsername } from "./_internals/helpers/usernames.ts";
import { assertSeedStable, assertShrinksValid, assertShrinkWithoutContext } from "./_internals/testing/arbitrary-assertions.ts";
import { NODE_NAME_EXTRA } from "./_internals/vocabulary.ts";
import { requestor, type RequestorSpec } from "./requestor.ts";

function problems(s: RequestorSpec): string[] {
  const p: string[] = [];
  const u = requestorUserInfo(s, "r3");
  const cls = classifyUsername(u.username);
  if ((s.kind === "service-account") !== (cls === "service-account")) p.push(`${s.kind} → ${u.username} (${cls})`);
  if (!u.username.split(":").includes("r3")) p.push(`name part missing in ${u.username}`);
  if ((s.extra[NODE_NAME_EXTRA]?.length ?? 0) > 2) p.push("more than 2 node-name values");
  if (s.groups.some((g) => g !== "system:masters" && !/^rg-[a-z]$/.test(g))) p.push(`groups ${s.groups}`);
  return p;
}

describe("requestor", () => {
  it("is seed-stable", () => assertSeedStable(requestor()));

  it("specs are valid for every kind", () => {
    for (const s of fc.sample(requestor(), 300)) expect(problems(s)).toEqual([]);
  });

  it("produces service accounts with 0, 1 and 2 node-name extras, other extras, uids and rare system:masters", () => {
    const specs = fc.sample(requestor(), { seed: 3, numRuns: 2000 });
    const counts = new Map<number, number>();
    for (const s of specs) counts.set(s.extra[NODE_NAME_EXTRA]?.length ?? 0, (counts.get(s.extra[NODE_NAME_EXTRA]?.length ?? 0) ?? 0) + 1);
    expect(counts.get(0)).toBeGreaterThan(1000);
    expect(counts.get(1)).toBeGreaterThan(200);
    expect(counts.get(2)).toBeGreaterThan(50);
    const masters = specs.filter((s) => s.groups.includes("system:masters")).length;
    expect(masters).toBeGreaterThan(10);
    expect(masters).toBeLessThan(150);
    expect(specs.some((s) => Object.keys(s.extra).length >= 5)).toBe(true);
    expect(specs.filter((s) => s.uid !== "").length).toBeGreaterThan(300);
    expect(new Set(specs.map((s) => s.kind)).size).toBe(3);
  });

  it("SA requestors carry the SA groups a token has", () => {
    const u = requestorUserInfo({ kind: "service-account", namespace: "ns-b", invalidShape: "three-parts", uid: "", groups: ["rg-a"], extra: {} }, "r0");
    expect(u).toEqual({ username: "system:serviceaccount:ns-b:r0", uid: "", groups: ["system:serviceaccounts", "system:serviceaccounts:ns-b", "rg-a"], extra: {} });
  });

  it("shrinks validly, with and without context", () => {
    assertShrinksValid(requestor(), problems);
    assertShrinkWithoutContext(requestor(), problems);
  });

  it("rejects bad constraints", () => {
    expect(() => requestor({ kinds: {} })).toThrow(/positive/);
    expect(() => requestor({ mastersOneIn: -2 })).toThrow(/mastersOneIn/);
  });
});
