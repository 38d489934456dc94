/**
 * The RBAC authorizer (kubernetes/kubernetes:plugin/pkg/auth/authorizer/rbac/rbac.go `Authorize`,
 * same in v1.35.4–v1.37.2). RBAC never denies:
 * - the first rule allowing the check → Allow, reason `RBAC: allowed by <binding description>`
 *   (e.g. `RBAC: allowed by ClusterRoleBinding "b" of ClusterRole "r" to User "u"`), no error;
 * - otherwise NoOpinion, no error, and reason "" — or, when resolving some applicable binding's role
 *   failed, `RBAC: <aggregate of those errors>`, e.g.
 *   `RBAC: [role.rbac.authorization.k8s.io "a" not found, clusterrole.rbac.authorization.k8s.io "b" not found]`.
 *   The errors travel in the *reason*: the authorizer's own error return stays nil.
 *
 * Order caveat: upstream visits ClusterRoleBindings, then the namespace's RoleBindings, each in informer
 * (Go map) order. So when two or more distinct errors come from the same group, their order in the
 * reason is unspecified: the answer carries `reasonIndeterminate`. Likewise when several bindings of the
 * group that allows would allow, which one the Allow reason names is unspecified (it only reaches the
 * audit annotation `authorization.k8s.io/reason`, never a 403): also `reasonIndeterminate`.
 */
import type { CheckAttributes, World } from "../../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../authorizer.ts";
import { aggregateErrorText } from "../authorizers/aggregate.ts";
import { rbacIndexFor, type RbacIndex, type ResolvedBinding } from "./rbac-index.ts";
import { roleAllows } from "./rule-match.ts";

const NO_OPINION: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "rbac" };
const NO_BINDINGS: readonly ResolvedBinding[] = [];

/** The index of the first binding with a rule allowing the check, or -1. */
function allowingBinding(a: CheckAttributes, bindings: readonly ResolvedBinding[]): number {
  for (let i = 0; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.kind === "rules" && roleAllows(a, b.role)) return i;
  }
  return -1;
}

const errorLists = new WeakMap<readonly ResolvedBinding[], readonly string[]>();

/** The role-resolution errors of a binding list, in visit order (they do not depend on the check). */
function errorsOf(bindings: readonly ResolvedBinding[]): readonly string[] {
  let errors = errorLists.get(bindings);
  if (!errors) {
    errors = bindings.flatMap((b) => (b.kind === "error" ? [b.message] : []));
    errorLists.set(bindings, errors);
  }
  return errors;
}

/** Does another binding after `from` allow too? Then which one upstream names depends on informer order. */
function anotherAllows(a: CheckAttributes, bindings: readonly ResolvedBinding[], from: number): boolean {
  for (let i = from + 1; i < bindings.length; i++) {
    const b = bindings[i]!;
    if (b.kind === "rules" && roleAllows(a, b.role)) return true;
  }
  return false;
}

const allowAnswers = new WeakMap<ResolvedBinding, AuthorizerAnswer>();

function allow(a: CheckAttributes, bindings: readonly ResolvedBinding[], i: number): AuthorizerAnswer {
  const b = bindings[i] as Extract<ResolvedBinding, { kind: "rules" }>;
  let answer = allowAnswers.get(b);
  if (!answer) {
    answer = { decision: "allow", reason: `RBAC: allowed by ${b.describe()}`, decidedBy: "rbac" };
    allowAnswers.set(b, answer);
  }
  return anotherAllows(a, bindings, i)
    ? { ...answer, reasonIndeterminate: "several bindings allow; RBAC names the first in informer (Go map) order" }
    : answer;
}

/** Distinct messages an unordered group adds to the aggregate; more than one means its order is unknown. */
function newDistinct(group: readonly string[], seen: Set<string>): number {
  let n = 0;
  for (const m of group) {
    if (!seen.has(m)) {
      seen.add(m);
      n++;
    }
  }
  return n;
}

export function authorizeRbac(world: World, a: CheckAttributes): AuthorizerAnswer {
  return authorizeWith(rbacIndexFor(world), a);
}

function authorizeWith(index: RbacIndex, a: CheckAttributes): AuthorizerAnswer {
  const cluster = index.bindingsFor(a.user, "");
  const inCluster = allowingBinding(a, cluster);
  if (inCluster >= 0) return allow(a, cluster, inCluster);
  let namespaced: readonly ResolvedBinding[] = NO_BINDINGS;
  if (a.namespace !== "") {
    namespaced = index.bindingsFor(a.user, a.namespace);
    const inNamespace = allowingBinding(a, namespaced);
    if (inNamespace >= 0) return allow(a, namespaced, inNamespace);
  }
  // No allow: every applicable binding was visited, so every resolution error was collected.
  const clusterErrors = errorsOf(cluster);
  const namespaceErrors = errorsOf(namespaced);
  if (clusterErrors.length === 0 && namespaceErrors.length === 0) return NO_OPINION;
  const reason = `RBAC: ${aggregateErrorText([...clusterErrors, ...namespaceErrors])}`;
  const seen = new Set<string>();
  const unordered = newDistinct(clusterErrors, seen) > 1 || newDistinct(namespaceErrors, seen) > 1;
  return {
    decision: "no-opinion",
    reason,
    decidedBy: "rbac",
    ...(unordered
      ? { reasonIndeterminate: "RBAC lists role-resolution errors in informer (Go map) order, which is unspecified" }
      : {}),
  };
}

/** An Authorizer over `world`; the index behind it is shared by every authorizer of the same World object. */
export function rbacAuthorizer(world: World): Authorizer {
  const index = rbacIndexFor(world);
  return { authorize: (a) => authorizeWith(index, a) };
}
