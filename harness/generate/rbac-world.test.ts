import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Manifest, Subject } from "../core/index.ts";
import { isLocalName, isPoolNamespaceName } from "./_internals/mappers/rename.ts";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { manifestProblems } from "./_internals/testing/validate.ts";
import { rbacWorld } from "./rbac-world.ts";

/** A subject only this case has: safe in a ClusterRoleBinding on a shared server. */
export function isLocalSubject(s: Subject): boolean {
  if (s.kind === "ServiceAccount") return isPoolNamespaceName(s.namespace ?? "");
  return s.name.split(":").some((seg) => isLocalName(seg) || (isPoolNamespaceName(seg) && s.name.startsWith("system:serviceaccount")));
}

function problems(world: readonly Manifest[]): string[] {
  const p = world.flatMap(manifestProblems);
  for (const m of world) {
    if (m.kind === "ClusterRoleBinding") for (const s of m["subjects"] as Subject[]) if (!isLocalSubject(s)) p.push(`${m.metadata.name}: non-local subject ${s.name}`);
    if (m.metadata.namespace !== undefined && !isPoolNamespaceName(m.metadata.namespace)) p.push(`${m.metadata.name} in ${m.metadata.namespace}`);
    const ref = m["roleRef"] as { kind: string; name: string } | undefined;
    if (m.kind === "RoleBinding" && ref?.kind === "Role") {
      const role = world.find((o) => o.kind === "Role" && o.metadata.name === ref.name);
      if (role && role.metadata.namespace !== m.metadata.namespace) p.push(`${m.metadata.name} references a Role of another namespace`);
    }
  }
  return p;
}

describe("rbacWorld", () => {
  it("is seed-stable", () => assertSeedStable(rbacWorld()));

  it("is valid and keeps cluster-wide grants to case-local subjects", () => {
    fc.assert(fc.property(rbacWorld(), (w) => {
      expect(problems(w)).toEqual([]);
    }), { numRuns: 300, seed: 8 });
  });

  it("sometimes references missing and bootstrap roles", () => {
    const worlds = fc.sample(rbacWorld(), { seed: 2, numRuns: 400 });
    const refs = worlds.flatMap((w) => w.map((m) => (m["roleRef"] as { name: string } | undefined)?.name).filter((n): n is string => !!n));
    expect(refs.some((n) => n.startsWith("n-missing-"))).toBe(true);
    expect(refs.some((n) => ["edit", "view", "admin", "cluster-admin"].includes(n))).toBe(true);
  });

  it("shrinks into valid worlds", () => {
    assertShrinksValid(rbacWorld(), problems, { interesting: (w) => w.length > 2 });
  });

  it("rejects bad constraints", () => {
    expect(() => rbacWorld({ maxBindings: 0 })).toThrow(/maxBindings/);
  });
});
