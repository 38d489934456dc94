import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyUsername, serviceAccountUsername } from "./_internals/identity-names.ts";
import { isolateScenario, makeIsolationToken } from "./isolate.ts";
import { type Scenario, scenarioSchema } from "./schema.ts";

const RBAC = "rbac.authorization.k8s.io/v1";
const USERS = [
  "alice",
  "bob",
  "system:admin",
  "system:anonymous",
  "system:node:node1",
  "system:node:Node1",
  "system:serviceaccount:ns1:sa",
  "system:serviceaccount:kube-system:agent",
  "system:serviceaccount:kube-system:job-controller",
  "system:serviceaccount:ns",
  "system:kube-scheduler",
  "jane.doe@example.com",
] as const;
const GROUPS = ["g1", "g2", "system:masters", "system:authenticated", ""] as const;
const ROLES = ["r1", "r2", "cluster-admin"] as const;

const userArb = fc.constantFrom(...USERS);
const groupArb = fc.constantFrom(...GROUPS);
const subjectArb = fc.oneof(
  userArb.map((name) => ({ kind: "User", name })),
  groupArb.filter((g) => g !== "").map((name) => ({ kind: "Group", name })),
  fc.constantFrom(["ns1", "sa"], ["kube-system", "agent"], ["kube-system", "job-controller"]).map(([namespace, name]) => ({ kind: "ServiceAccount", name, namespace })),
);
const ruleArb = fc.record({
  verbs: fc.constant(["impersonate"]),
  resources: fc.subarray(["users", "groups", "serviceaccounts", "pods"], { minLength: 1 }),
  resourceNames: fc.array(fc.constantFrom(...USERS, ...GROUPS, "sa", "agent"), { maxLength: 3 }),
});
const objectsArb = fc.record({
  clusterRoles: fc.subarray(["r1", "r2"]).chain((names) => fc.tuple(...names.map((n) => fc.array(ruleArb, { maxLength: 2 }).map((rules) => ({ apiVersion: RBAC, kind: "ClusterRole", metadata: { name: n }, rules }))))),
  bindings: fc.array(
    fc.record({ role: fc.constantFrom(...ROLES), subjects: fc.array(subjectArb, { maxLength: 3 }), namespaced: fc.boolean() }),
    { maxLength: 3 },
  ),
});
const checkArb = fc.record(
  { user: userArb, resource: fc.constantFrom("users", "groups", "serviceaccounts", "pods"), namespace: fc.constantFrom("ns1", "kube-system", ""), name: fc.constantFrom(...USERS, ...GROUPS, "sa", "agent") },
  { requiredKeys: [] },
);
const requestArb = fc.record({
  as: fc.record({ user: userArb, groups: fc.array(groupArb, { maxLength: 2 }) }),
  impersonate: fc.option(fc.record({ user: userArb, groups: fc.array(groupArb, { maxLength: 2 }) }), { nil: undefined }),
  checks: fc.array(checkArb, { maxLength: 3 }),
  message: fc.constantFrom(...USERS).map((u) => `User "${u}" cannot impersonate`),
});

/** A random small scenario whose names collide a lot: requestors, targets, subjects and resourceNames share a pool. */
const scenarioArb = fc.tuple(objectsArb, fc.array(requestArb, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([objs, requests, withDelete]): Scenario => {
  const objects: unknown[] = [...objs.clusterRoles];
  objs.bindings.forEach((b, i) => {
    const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: b.role };
    objects.push(
      b.namespaced
        ? { apiVersion: RBAC, kind: "RoleBinding", metadata: { name: `b${i}`, namespace: "ns1" }, roleRef, subjects: b.subjects }
        : { apiVersion: RBAC, kind: "ClusterRoleBinding", metadata: { name: `b${i}` }, roleRef, subjects: b.subjects },
    );
  });
  const steps: unknown[] = requests.map((r) => ({
    request: { as: r.as, ...(r.impersonate ? { impersonate: r.impersonate } : {}), headers: { "Impersonate-Group": r.as.groups }, method: "GET", path: "/api" },
    expect: { message: r.message, checks: r.checks, ...(r.impersonate ? { user: { username: r.impersonate.user, groups: r.impersonate.groups } } : {}) },
  }));
  if (withDelete) steps.push({ delete: [{ apiVersion: RBAC, kind: "ClusterRole", name: "r1" }, { apiVersion: RBAC, kind: "ClusterRole", name: "cluster-admin" }] });
  return scenarioSchema.parse({ apiVersion: "impfuzz/v1", kind: "Scenario", metadata: { name: "generated" }, spec: { objects, steps } });
});

type Position = readonly [category: "user" | "group" | "role", value: string];

/** Every place a scenario names an identity or a role, in a fixed order, with what it denotes. */
function positions(s: Scenario): Position[] {
  const out: Position[] = [];
  for (const m of s.spec.objects as Record<string, any>[]) {
    if (m["kind"] === "ClusterRole") {
      out.push(["role", m["metadata"].name]);
      for (const rule of m["rules"] ?? []) {
        for (const n of rule.resourceNames ?? []) {
          if (rule.resources.includes("users")) out.push(["user", n]);
          else if (rule.resources.includes("groups")) out.push(["group", n]);
        }
      }
    }
    if (m["roleRef"]) out.push(["role", m["roleRef"].name]);
    for (const sub of m["subjects"] ?? []) {
      if (sub.kind === "User") out.push(["user", sub.name]);
      if (sub.kind === "Group") out.push(["group", sub.name]);
      if (sub.kind === "ServiceAccount") out.push(["user", serviceAccountUsername(sub.namespace, sub.name)]);
    }
  }
  for (const st of s.spec.steps) {
    if ("request" in st) {
      out.push(["user", st.request.as.user], ...(st.request.as.groups ?? []).map((g): Position => ["group", g]));
      if (st.request.impersonate?.user !== undefined) out.push(["user", st.request.impersonate.user]);
      for (const g of st.request.impersonate?.groups ?? []) out.push(["group", g]);
      for (const g of st.request.headers?.["Impersonate-Group"] ?? []) out.push(["group", g]);
      for (const c of st.expect?.checks ?? []) if (c.user !== undefined) out.push(["user", c.user]);
      if (st.expect?.user?.username !== undefined) out.push(["user", st.expect.user.username]);
    }
    if ("delete" in st) for (const ref of st.delete) out.push(["role", ref.name]);
  }
  return out;
}

describe("isolateScenario", () => {
  it("restoring every string gives the original scenario back", () => {
    fc.assert(
      fc.property(scenarioArb, fc.integer({ min: 0, max: 2 ** 31 }), (s, seed) => {
        const iso = isolateScenario(s, { random: mulberry(seed) });
        expect(iso.restoreDeep(iso.scenario)).toEqual(s);
        expect(iso.restore(JSON.stringify(iso.scenario))).toBe(JSON.stringify(s));
      }),
    );
  });

  it("preserves which positions name the same identity or role, and how usernames classify", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const iso = isolateScenario(s, { token: "-t0k3n" });
        const before = positions(s);
        const after = positions(iso.scenario);
        expect(after.length).toBe(before.length);
        for (let i = 0; i < before.length; i++) {
          const [cat, v] = before[i]!;
          if (cat === "user") expect(classifyUsername(after[i]![1])).toBe(classifyUsername(v));
          for (let j = i + 1; j < before.length; j++) {
            if (before[j]![0] !== cat) continue;
            expect(after[i]![1] === after[j]![1]).toBe(v === before[j]![1]);
          }
        }
      }),
    );
  });

  it("renames every requestor it does not keep, and two runs share no renamed name", () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const a = isolateScenario(s, { token: "-aaaa1" });
        const b = isolateScenario(s, { token: "-bbbb2" });
        for (const st of s.spec.steps) {
          if (!("request" in st)) continue;
          const u = st.request.as.user;
          const kept = a.kept.some((k) => k.kind === "user" && k.name === u);
          expect(a.users.has(u)).toBe(!kept);
          if (!kept) expect(a.users.get(u)).not.toBe(b.users.get(u));
        }
        const renamedA = new Set([...a.users.values(), ...a.groups.values(), ...a.objects.values()]);
        for (const n of [...b.users.values(), ...b.groups.values(), ...b.objects.values()]) expect(renamedA.has(n)).toBe(false);
      }),
    );
  });

  it("renames consistently across objects, requests, deletes and expectations", () => {
    const s = scenarioSchema.parse({
      apiVersion: "impfuzz/v1",
      kind: "Scenario",
      metadata: { name: "example" },
      spec: {
        objects: [
          { apiVersion: RBAC, kind: "ClusterRole", metadata: { name: "impersonator" }, rules: [{ apiGroups: [""], resources: ["users"], resourceNames: ["alice", "jane"], verbs: ["impersonate"] }] },
          { apiVersion: RBAC, kind: "ClusterRoleBinding", metadata: { name: "impersonator" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "impersonator" }, subjects: [{ kind: "ServiceAccount", name: "ctl", namespace: "ops" }, { kind: "Group", name: "devs" }] },
          { apiVersion: RBAC, kind: "RoleBinding", metadata: { name: "view", namespace: "ops" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "User", name: "alice" }] },
          { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "ctl", namespace: "ops" } },
          { apiVersion: "v1", kind: "Namespace", metadata: { name: "ops" } },
        ],
        steps: [
          {
            request: { as: { user: "system:serviceaccount:ops:ctl", groups: ["devs", "system:masters"] }, impersonate: { user: "jane", groups: ["devs"] }, method: "GET", path: "/api/v1/namespaces/ops/pods" },
            expect: { message: 'pods is forbidden: User "jane" cannot list', checks: [{ user: "system:serviceaccount:ops:ctl", resource: "users", name: "jane" }, { user: "jane" }] },
          },
          { request: { as: { user: "system:node:node1" }, impersonate: { user: "alice" }, method: "GET", path: "/api" } },
          { delete: [{ apiVersion: RBAC, kind: "RoleBinding", name: "view", namespace: "ops" }, { apiVersion: RBAC, kind: "ClusterRole", name: "view" }] },
        ],
      },
    });
    const iso = isolateScenario(s, { token: "-s3k9x" });
    const [cr, crb, rb, sa, ns] = iso.scenario.spec.objects as Record<string, any>[];
    expect(cr!["metadata"].name).toBe("impersonator-s3k9x");
    expect(cr!["rules"][0].resourceNames).toEqual(["alice-s3k9x", "jane"]);
    expect(crb!["roleRef"].name).toBe("impersonator-s3k9x");
    expect(crb!["subjects"]).toEqual([{ kind: "ServiceAccount", name: "ctl-s3k9x", namespace: "ops" }, { kind: "Group", name: "devs-s3k9x" }]);
    expect(rb!["metadata"]).toEqual({ name: "view-s3k9x", namespace: "ops" });
    expect(rb!["roleRef"].name).toBe("view"); // the bootstrap ClusterRole is not the scenario's
    expect(sa!["metadata"].name).toBe("ctl-s3k9x");
    expect(ns!["metadata"].name).toBe("ops");
    const [first, second, del] = iso.scenario.spec.steps as any[];
    expect(first.request.as).toEqual({ user: "system:serviceaccount:ops:ctl-s3k9x", groups: ["devs-s3k9x", "system:masters"] });
    expect(first.request.impersonate).toEqual({ user: "jane", groups: ["devs-s3k9x"] });
    expect(first.request.path).toBe("/api/v1/namespaces/ops/pods");
    expect(first.expect.checks).toEqual([{ user: "system:serviceaccount:ops:ctl-s3k9x", resource: "users", name: "jane" }, { user: "jane" }]);
    expect(first.expect.message).toBe('pods is forbidden: User "jane" cannot list');
    expect(second.request.as.user).toBe("system:node:node1");
    expect(second.request.impersonate.user).toBe("alice-s3k9x");
    expect(del.delete).toEqual([
      { apiVersion: RBAC, kind: "RoleBinding", name: "view-s3k9x", namespace: "ops" },
      { apiVersion: RBAC, kind: "ClusterRole", name: "view" },
    ]);
    expect(iso.kept.map((k) => k.name)).toEqual(["system:node:node1", "Namespace/ops"]);
    expect(iso.restore('User "system:serviceaccount:ops:ctl-s3k9x" cannot impersonate:user-info resource "users"')).toBe(
      'User "system:serviceaccount:ops:ctl" cannot impersonate:user-info resource "users"',
    );
  });

  it("keeps a name that a rule over users and groups grants when only one of those identities is renamed", () => {
    // Found by the positions property (seed -1803203374): renaming the resourceName for the bound
    // group would also have moved the user part of the grant to a user nobody names.
    const s = scenarioSchema.parse({
      apiVersion: "impfuzz/v1",
      kind: "Scenario",
      metadata: { name: "both" },
      spec: {
        objects: [
          { apiVersion: RBAC, kind: "ClusterRole", metadata: { name: "r1" }, rules: [{ verbs: ["impersonate"], resources: ["users", "groups"], resourceNames: ["g1"] }] },
          { apiVersion: RBAC, kind: "ClusterRoleBinding", metadata: { name: "b0" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "r1" }, subjects: [{ kind: "Group", name: "g1" }] },
        ],
        steps: [{ request: { as: { user: "alice", groups: [] }, method: "GET", path: "/api" } }],
      },
    });
    const iso = isolateScenario(s, { token: "-t0k3n" });
    const [role, binding] = iso.scenario.spec.objects as Record<string, any>[];
    expect(role?.rules[0].resourceNames).toEqual(["g1"]);
    expect(binding?.subjects).toEqual([{ kind: "Group", name: "g1" }]);
    expect(iso.kept).toContainEqual({ kind: "group", name: "g1", reason: expect.stringContaining("rule over users and groups") });
    expect(iso.users.get("alice")).toBe("alice-t0k3n");
  });

  it("rejects a token that is malformed or occurs in the scenario", () => {
    const s = scenarioSchema.parse({ apiVersion: "impfuzz/v1", kind: "Scenario", metadata: { name: "x" }, spec: { steps: [{ request: { as: { user: "a-abcd" }, method: "GET", path: "/" } }] } });
    expect(() => isolateScenario(s, { token: "abc" })).toThrow(/must look like/);
    expect(() => isolateScenario(s, { token: "-abcd" })).toThrow(/occurs in scenario x/);
    expect(makeIsolationToken(() => 0)).toBe("-aaaaa");
    expect(isolateScenario(s).token).toMatch(/^-[a-z][a-z0-9]{4}$/);
  });
});

function mulberry(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}
