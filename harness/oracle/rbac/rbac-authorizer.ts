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
import type { CheckAttributes, UserInfo, World } from "../../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../authorizer.ts";
import { aggregateErrorText } from "../authorizers/aggregate.ts";
import { NO_SHAPE, type CheckShape } from "../check-shape.ts";
import { hasString } from "../string-list.ts";
import { rbacIndexFor, type BindingEntry, type BindingSetIndex, type Candidate, type CandidateList, type RbacIndex } from "./rbac-index.ts";
import { resourceMatches } from "./rule-match.ts";

const NO_OPINION: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "rbac" };
const NO_ERRORS: readonly string[] = [];

/**
 * RuleAllows for a candidate of the check's verb (the verb already matched). `combined` is
 * `resource/subresource` (or the resource) and `starSub` the star-slash form `*` + `/subresource` (or ""), made once per check.
 */
function candidateAllows(a: CheckAttributes, c: Candidate, combined: string, starSub: string): boolean {
  const r = c.rule;
  if (a.resourceRequest) {
    if (!r.anyGroup && !hasString(r.groups, a.group)) return false;
    if (!resourceMatches(r, combined, starSub)) return false;
    return r.names === undefined || hasString(r.names, a.name);
  }
  if (r.anyURL || hasString(r.urls, a.path)) return true;
  for (const p of r.urlPrefixes) if (a.path.startsWith(p)) return true;
  return false;
}

/**
 * The first binding of `set` (visit order) with a rule allowing the check for `a.user`, as its Allow
 * answer — flagged when a later binding of the same set would allow too — or undefined.
 */
function allowIn(set: BindingSetIndex, a: CheckAttributes, shape: CheckShape, combined: string, starSub: string): AuthorizerAnswer | undefined {
  const list = shape === NO_SHAPE ? set.candidates(a.verb, a.resourceRequest, a.resource) : set.forShape(shape);
  return list.indexed ? allowInIndexed(list, a, combined, starSub) : allowInScan(list.all, a, combined, starSub);
}

function allowInScan(list: readonly Candidate[], a: CheckAttributes, combined: string, starSub: string): AuthorizerAnswer | undefined {
  const user = a.user;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    // The subject test first: it is cheaper, and most bindings are not the user's.
    const subject = c.entry.appliesTo(user);
    if (subject < 0 || !candidateAllows(a, c, combined, starSub)) continue;
    return c.entry.allowAnswer(subject, anotherAllows(list, i, a, user, combined, starSub));
  }
  return undefined;
}

/** Does a binding after the one of `list[from]` allow too? Then which one upstream names depends on informer order. */
function anotherAllows(list: readonly Candidate[], from: number, a: CheckAttributes, user: UserInfo, combined: string, starSub: string): boolean {
  const found = list[from]!.entry;
  for (let i = from + 1; i < list.length; i++) {
    const c = list[i]!;
    if (c.entry !== found && c.entry.appliesTo(user) >= 0 && candidateAllows(a, c, combined, starSub)) return true;
  }
  return false;
}

/**
 * allowInScan over only the candidates the user's groups and name can make apply (every one of them
 * applies). One pass keeps the first allowing candidate and whether one of another binding allows too.
 */
function allowInIndexed(list: CandidateList, a: CheckAttributes, combined: string, starSub: string): AuthorizerAnswer | undefined {
  const user = a.user;
  const groups = user.groups;
  const found = emptyFound();
  for (let g = 0; g < groups.length; g++) {
    const positions = list.byGroup.get(groups[g]!);
    if (positions !== undefined) scanPositions(list.all, positions, found, a, combined, starSub);
  }
  if (list.byName.size > 0) {
    const named = list.byName.get(user.username);
    if (named !== undefined) scanPositions(list.all, named, found, a, combined, starSub);
  }
  const entry = found.entry;
  found.entry = undefined; // hold no binding between checks
  return entry === undefined ? undefined : entry.allowAnswer(entry.appliesTo(user), found.another);
}

interface Found {
  /** The least position whose candidate allows, and its binding. */
  first: number;
  entry: BindingEntry | undefined;
  /** Whether a candidate of a binding other than `entry`, after `first`, allows. */
  another: boolean;
}

// One scratch record rather than one per call: this runs for most checks and never re-enters.
const FOUND: Found = { first: -1, entry: undefined, another: false };

function emptyFound(): Found {
  FOUND.first = -1;
  FOUND.entry = undefined;
  FOUND.another = false;
  return FOUND;
}

function scanPositions(
  all: readonly Candidate[], positions: readonly number[], found: Found, a: CheckAttributes, combined: string, starSub: string,
): void {
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const c = all[p]!;
    if (c.entry === found.entry || (found.another && p > found.first) || !candidateAllows(a, c, combined, starSub)) continue;
    if (found.entry === undefined) {
      found.first = p;
      found.entry = c.entry;
    } else if (p < found.first) {
      // A new first: the old one is another binding's allowing candidate after it.
      found.first = p;
      found.entry = c.entry;
      found.another = true;
    } else found.another = true;
  }
}

/** The role-resolution errors of the bindings of `set` applying to `user`, in visit order. */
function errorsFor(set: BindingSetIndex, user: UserInfo): readonly string[] {
  let out: string[] | undefined;
  for (const e of set.errorEntries as readonly BindingEntry[]) if (e.appliesTo(user) >= 0) (out ??= []).push(e.error);
  return out ?? NO_ERRORS;
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
  return authorizeWith(rbacIndexFor(world), a, NO_SHAPE);
}

function authorizeWith(index: RbacIndex, a: CheckAttributes, shape: CheckShape): AuthorizerAnswer {
  let combined = a.resource;
  let starSub = "";
  if (a.resourceRequest && a.subresource !== "") {
    combined = `${a.resource}/${a.subresource}`;
    starSub = `*/${a.subresource}`;
  }
  const cluster = index.cluster;
  const inCluster = allowIn(cluster, a, shape, combined, starSub);
  if (inCluster !== undefined) return inCluster;
  const namespaced = a.namespace !== "" ? index.setFor(a.namespace) : undefined;
  if (namespaced !== undefined) {
    const inNamespace = allowIn(namespaced, a, shape, combined, starSub);
    if (inNamespace !== undefined) return inNamespace;
  }
  // No allow: every applicable binding was visited, so every resolution error was collected.
  if (cluster.errorEntries.length === 0 && (namespaced === undefined || namespaced.errorEntries.length === 0)) return NO_OPINION;
  const clusterErrors = errorsFor(cluster, a.user);
  const namespaceErrors = namespaced === undefined ? NO_ERRORS : errorsFor(namespaced, a.user);
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
  return new RbacAuthorizer(rbacIndexFor(world));
}

class RbacAuthorizer implements Authorizer {
  constructor(private readonly index: RbacIndex) {}
  authorize(a: CheckAttributes, shape: CheckShape = NO_SHAPE): AuthorizerAnswer {
    return authorizeWith(this.index, a, shape);
  }
}
