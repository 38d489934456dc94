import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { userInfo, type CheckAttributes, type ClusterRoleBinding, type PolicyRule, type RoleBinding, type Subject, type UserInfo, type World } from "../../core/index.ts";
import { checkShape } from "../check-shape.ts";
import { authorizeRbac, rbacAuthorizer } from "./rbac-authorizer.ts";
import { clusterRole, role, world } from "./test-world.ts";

const NAMESPACES = ["", "dev", "prod"];
const name = fc.constantFrom("a", "b", "c");
const verbs = fc.subarray(["get", "list", "create", "*", "impersonate:user-info"], { minLength: 1 });
const rule: fc.Arbitrary<PolicyRule> = fc.oneof(
  fc.record({
    verbs,
    apiGroups: fc.subarray(["", "apps", "*"]),
    resources: fc.subarray(["pods", "pods/log", "*/log", "*", "pods/*", "deployments"]),
    resourceNames: fc.subarray(["p", "q", "*"]),
  }),
  fc.record({ verbs, nonResourceURLs: fc.subarray(["/healthz", "/api*", "*", "/apis/*"]) }),
);
const subject: fc.Arbitrary<Subject> = fc.oneof(
  fc.record({ kind: fc.constant("User" as const), name: fc.constantFrom("alice", "bob", "system:serviceaccount:dev:sa") }),
  fc.record({ kind: fc.constant("Group" as const), name: fc.constantFrom("devs", "ops") }),
  fc.record({ kind: fc.constant("ServiceAccount" as const), name: fc.constantFrom("sa", "other"), namespace: fc.constantFrom("", "dev", "prod") }),
);
const roleRef = fc.record({ apiGroup: fc.constant("rbac.authorization.k8s.io"), kind: fc.constantFrom("Role" as const, "ClusterRole" as const), name });
const crb: fc.Arbitrary<ClusterRoleBinding> = fc.record({
  kind: fc.constant("ClusterRoleBinding" as const),
  metadata: fc.record({ name }),
  subjects: fc.array(subject, { maxLength: 3 }),
  roleRef: roleRef.map((r) => ({ ...r, kind: "ClusterRole" as const })),
});
const rb: fc.Arbitrary<RoleBinding> = fc.record({
  kind: fc.constant("RoleBinding" as const),
  metadata: fc.record({ name, namespace: fc.constantFrom("dev", "prod") }),
  subjects: fc.array(subject, { maxLength: 3 }),
  roleRef,
});
const worldArb: fc.Arbitrary<World> = fc
  .record({
    clusterRoles: fc.uniqueArray(fc.tuple(name, fc.array(rule, { maxLength: 3 })), { selector: ([n]) => n, maxLength: 3 }),
    roles: fc.uniqueArray(fc.tuple(fc.constantFrom("dev", "prod"), name, fc.array(rule, { maxLength: 3 })), { selector: ([ns, n]) => `${ns}/${n}`, maxLength: 4 }),
    clusterRoleBindings: fc.array(crb, { maxLength: 3 }),
    roleBindings: fc.array(rb, { maxLength: 4 }),
  })
  .map((w) =>
    world({
      clusterRoles: w.clusterRoles.map(([n, rs]) => clusterRole(n, ...rs)),
      roles: w.roles.map(([ns, n, rs]) => role(ns, n, ...rs)),
      clusterRoleBindings: w.clusterRoleBindings,
      roleBindings: w.roleBindings,
    }),
  );
const userArb: fc.Arbitrary<UserInfo> = fc
  .tuple(fc.constantFrom("alice", "bob", "system:serviceaccount:dev:sa", "system:serviceaccount:prod:sa"), fc.subarray(["devs", "ops"]))
  .map(([n, groups]) => userInfo(n, { groups }));
const check: fc.Arbitrary<CheckAttributes> = fc.oneof(
  fc.record({
    user: userArb,
    verb: fc.constantFrom("get", "list", "create", "impersonate:user-info"),
    resourceRequest: fc.constant(true),
    namespace: fc.constantFrom(...NAMESPACES),
    group: fc.constantFrom("", "apps"),
    version: fc.constant("v1"),
    resource: fc.constantFrom("pods", "deployments"),
    subresource: fc.constantFrom("", "log", "*"),
    name: fc.constantFrom("", "p", "*"),
    path: fc.constant(""),
  }),
  fc.record({
    user: userArb,
    verb: fc.constantFrom("get", "post"),
    resourceRequest: fc.constant(false),
    namespace: fc.constant(""),
    group: fc.constant(""),
    version: fc.constant(""),
    resource: fc.constant(""),
    subresource: fc.constant(""),
    name: fc.constant(""),
    path: fc.constantFrom("/healthz", "/api", "/apis", "/apis/apps", "/version"),
  }),
);

/** A direct, unindexed reading of rule.go + evaluation_helpers.go, to check the index against. */
function naive(w: World, a: CheckAttributes): boolean {
  const applies = (s: Subject, ns: string) =>
    s.kind === "User" ? s.name === a.user.username
    : s.kind === "Group" ? a.user.groups.includes(s.name)
    : (s.namespace || ns) !== "" && a.user.username === `system:serviceaccount:${s.namespace || ns}:${s.name}`;
  const allows = (r: PolicyRule) => {
    const has = (xs: readonly string[] | undefined, x: string) => (xs ?? []).includes(x);
    if (!has(r.verbs, "*") && !has(r.verbs, a.verb)) return false;
    if (!a.resourceRequest) {
      return (r.nonResourceURLs ?? []).some((u) => u === "*" || u === a.path || (u.endsWith("*") && a.path.startsWith(u.replace(/\*+$/, ""))));
    }
    const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    return (
      (has(r.apiGroups, "*") || has(r.apiGroups, a.group)) &&
      (r.resources ?? []).some((x) => x === "*" || x === combined || (a.subresource !== "" && x === `*/${a.subresource}`)) &&
      ((r.resourceNames ?? []).length === 0 || has(r.resourceNames, a.name))
    );
  };
  const rulesOf = (kind: string, refName: string, ns: string) =>
    kind === "ClusterRole" ? w.clusterRoles.find((r) => r.metadata.name === refName)?.rules : w.roles.find((r) => r.metadata.namespace === ns && r.metadata.name === refName)?.rules;
  for (const b of w.clusterRoleBindings) {
    if ((b.subjects ?? []).some((s) => applies(s, "")) && (rulesOf(b.roleRef.kind, b.roleRef.name, "") ?? []).some(allows)) return true;
  }
  if (a.namespace === "") return false;
  for (const b of w.roleBindings) {
    if (b.metadata.namespace !== a.namespace) continue;
    if ((b.subjects ?? []).some((s) => applies(s, a.namespace)) && (rulesOf(b.roleRef.kind, b.roleRef.name, a.namespace) ?? []).some(allows)) return true;
  }
  return false;
}

function insert<T>(xs: readonly T[], x: T, at: number): T[] {
  const i = at % (xs.length + 1);
  return [...xs.slice(0, i), x, ...xs.slice(i)];
}

/** `w` plus a ClusterRole granting exactly `c`, bound to `c`'s user by name at position `at`. */
function withGrant(w: World, c: CheckAttributes, at: number): World {
  const grant: PolicyRule = c.resourceRequest
    ? { verbs: [c.verb], apiGroups: [c.group], resources: [c.subresource ? `${c.resource}/${c.subresource}` : c.resource], resourceNames: c.name ? [c.name] : [] }
    : { verbs: [c.verb], nonResourceURLs: [c.path] };
  const binding: ClusterRoleBinding = {
    kind: "ClusterRoleBinding",
    metadata: { name: "grant" },
    subjects: [{ kind: "User", name: c.user.username }],
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "granted" },
  };
  return { ...w, clusterRoles: [...w.clusterRoles, clusterRole("granted", grant)], clusterRoleBindings: insert(w.clusterRoleBindings, binding, at) };
}

describe("RBAC properties", () => {
  it("agrees with an unindexed reading of upstream", () => {
    fc.assert(
      fc.property(worldArb, fc.array(check, { minLength: 1, maxLength: 8 }), (w, checks) => {
        for (const c of checks) expect(authorizeRbac(w, c).decision === "allow").toBe(naive(w, c));
      }),
      { numRuns: 1500 },
    );
  }, 60_000);

  it("answers a check given its shape exactly as without it", () => {
    fc.assert(
      fc.property(worldArb, fc.array(check, { minLength: 1, maxLength: 8 }), (w, checks) => {
        // A fresh index per world: the first check of each shape fills its list, a repeat reads it back.
        const rbac = rbacAuthorizer(structuredClone(w));
        for (const c of [...checks, ...checks]) {
          expect(rbac.authorize(c, checkShape(c.verb, c.resourceRequest, c.resource))).toEqual(authorizeRbac(w, c));
        }
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("adding a binding never turns Allow into NoOpinion", () => {
    fc.assert(
      fc.property(worldArb, check, fc.nat(), fc.oneof(crb, rb), fc.nat(), (base, c, at, extra, at2) => {
        const w = withGrant(base, c, at);
        expect(authorizeRbac(w, c).decision).toBe("allow");
        const grown: World =
          extra.kind === "ClusterRoleBinding"
            ? { ...w, clusterRoleBindings: insert(w.clusterRoleBindings, extra, at2) }
            : { ...w, roleBindings: insert(w.roleBindings, extra, at2) };
        expect(authorizeRbac(grown, c).decision).toBe("allow");
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it("never denies, never returns an error", () => {
    fc.assert(
      fc.property(worldArb, check, (w, c) => {
        const answer = authorizeRbac(w, c);
        expect(answer.decision).not.toBe("deny");
        expect(answer.error).toBeUndefined();
        expect(answer.decidedBy).toBe("rbac");
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
