import fc from "fast-check";
import type { Manifest, PolicyRule, Subject } from "../core/index.ts";
import { groupSubject, serviceAccountSubject, userSubject } from "./_internals/builders/world-draft.ts";
import { SA_GROUP_PREFIX } from "./_internals/helpers/usernames.ts";
import {
  BOOTSTRAP_CLUSTER_ROLES,
  GENERIC_USERS,
  PLAIN_GROUPS,
  POOL_NAMESPACES,
  RBAC_API_GROUP,
  RBAC_API_VERSION,
  REQUESTOR_GROUPS,
  SERVICE_ACCOUNT_NAMES,
  TARGET_LOCAL_GROUPS,
  VALID_NODE_NAMES,
} from "./_internals/vocabulary.ts";
import { policyRule } from "./policy-rule.ts";

export interface RbacWorldConstraints {
  /** At most this many ClusterRoles and this many Roles. @defaultValue 2 */
  readonly maxRoles?: number;
  /** @defaultValue 3 */
  readonly maxBindings?: number;
  /** Subjects name requestors `r0`…`r<maxRequestors-1>`. @defaultValue 8 */
  readonly maxRequestors?: number;
}

type RoleRefChoice =
  | { readonly kind: "cluster-role"; readonly index: number }
  | { readonly kind: "role"; readonly index: number }
  | { readonly kind: "bootstrap"; readonly name: string }
  | { readonly kind: "missing" };

interface BindingParts {
  readonly scope: "cluster" | string;
  readonly roleRef: RoleRefChoice;
  readonly subjects: readonly Subject[];
}

interface WorldParts {
  readonly clusterRoles: readonly (readonly PolicyRule[])[];
  readonly roles: readonly { readonly namespace: string; readonly rules: readonly PolicyRule[] }[];
  readonly bindings: readonly BindingParts[];
}

/** Subjects only this case has (requestors, their groups, `tg-*`, pool-namespace SAs): safe cluster-wide. */
function localSubject(maxRequestors: number): fc.Arbitrary<Subject> {
  const r = fc.integer({ min: 0, max: maxRequestors - 1 }).map((i) => `r${i}`);
  return fc.oneof(
    { withCrossShrink: true },
    r.map(userSubject),
    fc.constantFrom(...REQUESTOR_GROUPS).map(groupSubject),
    fc.constantFrom(...TARGET_LOCAL_GROUPS).map(groupSubject),
    fc.tuple(fc.constantFrom(...POOL_NAMESPACES), r).map(([ns, n]) => serviceAccountSubject(ns, n)),
    fc.constantFrom(...POOL_NAMESPACES).map((ns) => groupSubject(`${SA_GROUP_PREFIX}${ns}`)),
  );
}

/** Impersonation targets and shared groups: only inside a pool namespace (RoleBindings). */
function targetSubject(): fc.Arbitrary<Subject> {
  return fc.oneof(
    { withCrossShrink: true },
    fc.constantFrom(...GENERIC_USERS, ...VALID_NODE_NAMES.map((n) => `system:node:${n}`)).map(userSubject),
    fc.constantFrom(...PLAIN_GROUPS, "system:authenticated", "system:nodes", "system:serviceaccounts").map(groupSubject),
    fc.tuple(fc.constantFrom(...POOL_NAMESPACES), fc.constantFrom(...SERVICE_ACCOUNT_NAMES)).map(([ns, n]) => serviceAccountSubject(ns, n)),
  );
}

function roleRefArb(): fc.Arbitrary<RoleRefChoice> {
  return fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.nat(3).map((index): RoleRefChoice => ({ kind: "cluster-role", index })), weight: 6 },
    { arbitrary: fc.nat(3).map((index): RoleRefChoice => ({ kind: "role", index })), weight: 4 },
    { arbitrary: fc.constant<RoleRefChoice>({ kind: "missing" }), weight: 1 },
    { arbitrary: fc.constantFrom(...BOOTSTRAP_CLUSTER_ROLES).map((name): RoleRefChoice => ({ kind: "bootstrap", name })), weight: 1 },
  );
}

function partsToWorld(p: WorldParts): Manifest[] {
  const out: Manifest[] = [];
  p.clusterRoles.forEach((rules, i) => out.push({ apiVersion: RBAC_API_VERSION, kind: "ClusterRole", metadata: { name: `n-cr-${i}` }, rules }));
  p.roles.forEach((r, i) => out.push({ apiVersion: RBAC_API_VERSION, kind: "Role", metadata: { name: `n-role-${i}`, namespace: r.namespace }, rules: r.rules }));
  p.bindings.forEach((b, i) => {
    let namespace = b.scope === "cluster" ? undefined : b.scope;
    let roleRef: { apiGroup: string; kind: "Role" | "ClusterRole"; name: string };
    const ref = b.roleRef;
    const missing = { apiGroup: RBAC_API_GROUP, kind: "ClusterRole" as const, name: `n-missing-${i}` };
    if (ref.kind === "bootstrap") roleRef = { apiGroup: RBAC_API_GROUP, kind: "ClusterRole", name: ref.name };
    else if (ref.kind === "cluster-role" && p.clusterRoles.length) roleRef = { apiGroup: RBAC_API_GROUP, kind: "ClusterRole", name: `n-cr-${ref.index % p.clusterRoles.length}` };
    else if (ref.kind === "role" && namespace !== undefined && p.roles.length) {
      const j = ref.index % p.roles.length;
      namespace = p.roles[j]!.namespace; // a RoleBinding can only reference a Role of its own namespace
      roleRef = { apiGroup: RBAC_API_GROUP, kind: "Role", name: `n-role-${j}` };
    } else roleRef = missing;
    const subjects = b.subjects.filter((s, k) => b.subjects.findIndex((t) => JSON.stringify(t) === JSON.stringify(s)) === k);
    out.push(
      namespace === undefined
        ? { apiVersion: RBAC_API_VERSION, kind: "ClusterRoleBinding", metadata: { name: `n-crb-${i}` }, subjects, roleRef }
        : { apiVersion: RBAC_API_VERSION, kind: "RoleBinding", metadata: { name: `n-rb-${i}`, namespace }, subjects, roleRef },
    );
  });
  return out;
}

/**
 * Background RBAC the probes did not ask for: random rules (policy-rule.ts) in ClusterRoles and
 * pool-namespace Roles, bound to random subjects, sometimes to a missing or a bootstrap role
 * (`edit`, `cluster-admin`, …). ClusterRoleBindings name only case-local subjects; RoleBindings in
 * pool namespaces may also name impersonation targets and shared groups. Local names.
 */
export function rbacWorld(constraints: RbacWorldConstraints = {}): fc.Arbitrary<Manifest[]> {
  const maxRoles = constraints.maxRoles ?? 2;
  const maxBindings = constraints.maxBindings ?? 3;
  const maxRequestors = constraints.maxRequestors ?? 8;
  for (const [k, v, min] of [["maxRoles", maxRoles, 0], ["maxBindings", maxBindings, 1], ["maxRequestors", maxRequestors, 1]] as const) {
    if (!(Number.isInteger(v) && v >= min && v <= 50)) throw new RangeError(`rbacWorld: ${k} must be an integer in [${min}, 50], got ${v}`);
  }
  const clusterBinding = fc.record({
    scope: fc.constant("cluster"),
    roleRef: roleRefArb(),
    subjects: fc.array(localSubject(maxRequestors), { minLength: 1, maxLength: 3 }),
  });
  const roleBinding = fc.record({
    scope: fc.constantFrom(...POOL_NAMESPACES),
    roleRef: roleRefArb(),
    subjects: fc.array(fc.oneof({ withCrossShrink: true }, localSubject(maxRequestors), targetSubject()), { minLength: 1, maxLength: 3 }),
  });
  return fc
    .record({
      clusterRoles: fc.array(fc.array(policyRule(), { minLength: 1, maxLength: 3 }), { maxLength: maxRoles }),
      roles: fc.array(
        fc.record({ namespace: fc.constantFrom(...POOL_NAMESPACES), rules: fc.array(policyRule({ namespaced: true }), { minLength: 1, maxLength: 2 }) }),
        { maxLength: maxRoles },
      ),
      bindings: fc.array(fc.oneof({ withCrossShrink: true }, clusterBinding, roleBinding), { minLength: 1, maxLength: maxBindings }),
    })
    .map(partsToWorld);
}
