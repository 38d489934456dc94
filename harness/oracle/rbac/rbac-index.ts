/**
 * A World's RBAC objects indexed once (WeakMap per World object) for `VisitRulesFor`
 * (kubernetes/kubernetes:pkg/registry/rbac/validation/rule.go): which bindings apply to a user, in
 * which order, with their role's compiled rules or the error resolving the role.
 *
 * - ClusterRoleBindings are visited for every check, RoleBindings only those of the check's namespace
 *   (and only when it is non-empty).
 * - A binding applies when any subject does (`appliesToUser`): User by name, Group by membership,
 *   ServiceAccount by `system:serviceaccount:<ns>:<name>` where <ns> is the subject's namespace or, if
 *   empty, the namespace being checked — "" for ClusterRoleBindings, which then never match.
 * - roleRef Role → Role of the binding's namespace (a ClusterRoleBinding looks in namespace "", where
 *   no Role can exist); ClusterRole → ClusterRole; a missing one yields the lister's NotFound text
 *   `role.rbac.authorization.k8s.io "x" not found` / `clusterrole.rbac.authorization.k8s.io "x" not found`;
 *   another kind `unsupported role reference kind: "K"`.
 * - Upstream lists bindings from an informer cache, i.e. in Go map order: unspecified. We visit them in
 *   World order; the authorizer flags the answers whose text depends on that order.
 *
 * Evaluation is indexed by verb and resource rather than by user: each binding set (the
 * ClusterRoleBindings, or one namespace's RoleBindings) keeps, per verb asked about, the (binding, rule)
 * pairs whose rule names that verb or `*`, in visit order, and per (verb, resource) the subset whose
 * rule could match that resource (`candidates`). A check then tests only those few rules and the
 * subjects of their bindings, with no per-user state: requestors are fresh for almost every request.
 * The lists are a superset filter (every rule that allows is in its list, in visit order); the real
 * match is still `ruleAllows` plus `appliesToUser`, so the answer is exactly the unindexed one.
 */
import type { ClusterRoleBinding, RoleBinding, RoleRef, Subject, UserInfo, World } from "../../core/index.ts";
import type { AuthorizerAnswer } from "../authorizer.ts";
import { shapeParts, type CheckShape } from "../check-shape.ts";
import { goQuote } from "../go-text.ts";
import { internalize } from "../internalize.ts";
import { hasString } from "../string-list.ts";
import { compileRole, type CompiledRole, type CompiledRule } from "./rule-match.ts";

export type ResolvedBinding =
  | { readonly kind: "rules"; readonly role: CompiledRole; readonly describe: () => string }
  | { readonly kind: "error"; readonly message: string };

const SA_PREFIX = "system:serviceaccount:";
/** Distinct verbs (or resources per verb) remembered per binding set before the memo starts over. */
const MAX_MEMO = 4096;

const USER = 0;
const GROUP = 1;
const SERVICE_ACCOUNT = 2;
const NEVER = 3;

/** One subject with what `appliesToUser` compares, precomputed for the set's namespace. */
interface SubjectMatcher {
  readonly kind: typeof USER | typeof GROUP | typeof SERVICE_ACCOUNT | typeof NEVER;
  /** The user name (User, ServiceAccount as `system:serviceaccount:<ns>:<name>`) or group name. */
  readonly name: string;
  readonly subject: Subject;
}

/** One binding of a set, its role resolved once. */
export class BindingEntry {
  readonly subjects: readonly SubjectMatcher[];
  /** The Allow answer naming this binding and its i-th subject, made on first use. */
  private readonly answers: (AuthorizerAnswer | undefined)[] = [];
  private readonly uncertainAnswers: (AuthorizerAnswer | undefined)[] = [];

  constructor(
    readonly binding: RoleBinding | ClusterRoleBinding,
    /** The namespace checked ("" for ClusterRoleBindings). */
    readonly namespace: string,
    readonly role: CompiledRole | undefined,
    /** The role-resolution error when `role` is undefined. */
    readonly error: string,
  ) {
    this.subjects = (binding.subjects ?? []).map((s) => matcher(s, namespace));
  }

  /** The index of the first subject applying to `user` (rule.go appliesToUser), or -1. */
  appliesTo(user: UserInfo): number {
    const subjects = this.subjects;
    for (let i = 0; i < subjects.length; i++) {
      const s = subjects[i]!;
      if (s.kind === GROUP) {
        if (hasString(user.groups, s.name)) return i;
      } else if (s.kind !== NEVER && user.username === s.name) return i;
    }
    return -1;
  }

  /** `RBAC: allowed by <describe>` for subject `i`; `uncertain` when another binding would allow too. */
  allowAnswer(i: number, uncertain: boolean): AuthorizerAnswer {
    const cache = uncertain ? this.uncertainAnswers : this.answers;
    let answer = cache[i];
    if (answer === undefined) {
      const reason = `RBAC: allowed by ${this.describe(this.subjects[i]!.subject)}`;
      answer = uncertain
        ? { decision: "allow", reason, decidedBy: "rbac", reasonIndeterminate: "several bindings allow; RBAC names the first in informer (Go map) order" }
        : { decision: "allow", reason, decidedBy: "rbac" };
      cache[i] = answer;
    }
    return answer;
  }

  /** rule.go's binding description (`describe` of the visitor's source). */
  describe(subject: Subject): string {
    const b = this.binding;
    return b.kind === "ClusterRoleBinding"
      ? `ClusterRoleBinding ${goQuote(b.metadata.name)} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, "")}`
      : `RoleBinding ${goQuote(`${b.metadata.name}/${this.namespace}`)} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, this.namespace)}`;
  }
}

// Names internalized (internalize.ts): a check compares them with the user's name and groups.
function matcher(s: Subject, namespace: string): SubjectMatcher {
  if (s.kind === "User") return { kind: USER, name: internalize(s.name), subject: s };
  if (s.kind === "Group") return { kind: GROUP, name: internalize(s.name), subject: s };
  if (s.kind === "ServiceAccount") {
    const ns = s.namespace || namespace;
    return ns === "" ? { kind: NEVER, name: "", subject: s } : { kind: SERVICE_ACCOUNT, name: internalize(`${SA_PREFIX}${ns}:${s.name}`), subject: s };
  }
  return { kind: NEVER, name: "", subject: s };
}

/** One rule of one binding's role. */
export interface Candidate {
  readonly entry: BindingEntry;
  readonly rule: CompiledRule;
}

/**
 * Candidates in visit order, with the positions of those each subject can make apply: a check then
 * looks only at the candidates of the user's groups and name instead of testing every binding's
 * subjects (long lists only; a short one is scanned as it is).
 */
export class CandidateList {
  /** Group name → positions (ascending) of the candidates whose binding has that Group subject. */
  readonly byGroup = new Map<string, number[]>();
  /** User name → positions of the candidates whose binding names it (User, or ServiceAccount as its username). */
  readonly byName = new Map<string, number[]>();
  /** Worth indexing: from this many candidates on, the subject maps are used. */
  readonly indexed: boolean;

  constructor(readonly all: readonly Candidate[]) {
    this.indexed = all.length >= INDEX_FROM;
    if (!this.indexed) return;
    all.forEach((c, pos) => {
      for (const s of c.entry.subjects) {
        if (s.kind === NEVER) continue;
        const m = s.kind === GROUP ? this.byGroup : this.byName;
        const list = m.get(s.name);
        if (list === undefined) m.set(s.name, [pos]);
        else if (list[list.length - 1] !== pos) list.push(pos);
      }
    });
  }
}

/** Below this many candidates a list is scanned whole (a few subject tests cost less than map lookups). */
const INDEX_FROM = 12;

const NO_CANDIDATES = new CandidateList([]);

/** The candidates of one verb: those for non-resource checks, and per resource (lazily). */
class VerbCandidates {
  private readonly byResource = new Map<string, CandidateList>();
  readonly nonResource: CandidateList;

  constructor(private readonly all: readonly Candidate[]) {
    this.nonResource = new CandidateList(all.filter((c) => c.rule.anyURL || c.rule.urls.length > 0));
  }

  forResource(resource: string): CandidateList {
    let list = this.byResource.get(resource);
    if (list === undefined) {
      list = candidatesForResource(this.all, resource);
      if (this.byResource.size >= MAX_MEMO) this.byResource.clear();
      this.byResource.set(resource, list);
    }
    return list;
  }
}

// Apart from forResource, which runs for every check: a closure over `resource` there would make V8
// allocate a context for it on every call, hit or miss.
function candidatesForResource(all: readonly Candidate[], resource: string): CandidateList {
  const matching = all.filter((c) => couldMatchResource(c.rule, resource));
  return matching.length === 0 ? NO_CANDIDATES : new CandidateList(matching);
}

/**
 * Whether some check on `resource` (any subresource) could match the rule's resources: `*`, a star-slash
 * pattern (`*` + `/<sub>`), the resource itself, or `<resource>/<anything>`. A superset of ruleAllows' resource match.
 */
function couldMatchResource(r: CompiledRule, resource: string): boolean {
  if (r.anyResource || hasString(r.resources, resource)) return true;
  const prefix = `${resource}/`;
  for (const e of r.resources) if (e.startsWith("*/") || e.startsWith(prefix)) return true;
  return false;
}

/** The bindings of one set (ClusterRoleBindings, or one namespace's RoleBindings) in visit order. */
export class BindingSetIndex {
  /** Bindings whose role could not be resolved, in visit order (their errors reach the reason). */
  readonly errorEntries: readonly BindingEntry[];
  private readonly byVerb = new Map<string, VerbCandidates>();
  /** The candidates of each check shape asked about (check-shape.ts): `forVerb` and `forResource` without their lookups. */
  private readonly byShape: (CandidateList | undefined)[] = [];

  constructor(readonly entries: readonly BindingEntry[]) {
    this.errorEntries = entries.filter((e) => e.role === undefined);
  }

  /** The candidates of a check with this verb and (for a resource check) resource. */
  candidates(verb: string, resourceRequest: boolean, resource: string): CandidateList {
    const forVerb = this.forVerb(verb);
    return resourceRequest ? forVerb.forResource(resource) : forVerb.nonResource;
  }

  /** `candidates` for the verb and resource of `shape`. */
  forShape(shape: CheckShape): CandidateList {
    const list = this.byShape[shape];
    return list !== undefined ? list : this.fillShape(shape);
  }

  private fillShape(shape: CheckShape): CandidateList {
    const { verb, resourceRequest, resource } = shapeParts(shape);
    const list = this.candidates(verb, resourceRequest, resource);
    this.byShape[shape] = list;
    return list;
  }

  /** The (binding, rule) pairs whose rule names `verb` or `*`, in visit order. */
  forVerb(verb: string): VerbCandidates {
    let v = this.byVerb.get(verb);
    if (v === undefined) {
      const all: Candidate[] = [];
      for (const entry of this.entries) {
        if (entry.role === undefined) continue;
        for (const rule of entry.role.rules) if (rule.anyVerb || hasString(rule.verbs, verb)) all.push({ entry, rule });
      }
      v = new VerbCandidates(all);
      if (this.byVerb.size >= MAX_MEMO) this.byVerb.clear();
      this.byVerb.set(verb, v);
    }
    return v;
  }
}

export type { VerbCandidates };

/** `describeSubject` (rule.go): `Kind "name"`, a ServiceAccount as `"name/namespace"`. */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

const NO_SET = new BindingSetIndex([]);

export class RbacIndex {
  private readonly clusterRoles = new Map<string, CompiledRole>();
  private readonly roles = new Map<string, CompiledRole>();
  readonly cluster: BindingSetIndex;
  private readonly namespaced = new Map<string, BindingSetIndex>();

  constructor(world: World) {
    for (const r of world.clusterRoles) {
      if (!this.clusterRoles.has(r.metadata.name)) this.clusterRoles.set(r.metadata.name, compileRole(r.rules ?? []));
    }
    for (const r of world.roles) {
      const key = `${r.metadata.namespace ?? ""}/${r.metadata.name}`;
      if (!this.roles.has(key)) this.roles.set(key, compileRole(r.rules ?? []));
    }
    this.cluster = this.bindingSet(world.clusterRoleBindings, "");
    const perNamespace = new Map<string, RoleBinding[]>();
    for (const b of world.roleBindings) {
      const ns = b.metadata.namespace ?? "";
      const list = perNamespace.get(ns);
      if (list) list.push(b);
      else perNamespace.set(ns, [b]);
    }
    for (const [ns, bindings] of perNamespace) this.namespaced.set(ns, this.bindingSet(bindings, ns));
  }

  private bindingSet(bindings: readonly (RoleBinding | ClusterRoleBinding)[], namespace: string): BindingSetIndex {
    return new BindingSetIndex(
      bindings.map((b) => {
        const result = this.roleRules(b.roleRef, namespace);
        return typeof result === "string" ? new BindingEntry(b, namespace, undefined, result) : new BindingEntry(b, namespace, result, "");
      }),
    );
  }

  /** The binding set visited when checking `namespace` ("" = ClusterRoleBindings). */
  setFor(namespace: string): BindingSetIndex {
    return namespace === "" ? this.cluster : (this.namespaced.get(namespace) ?? NO_SET);
  }

  /** The bindings applying to `user` when checking `namespace` ("" = ClusterRoleBindings), in visit order. */
  bindingsFor(user: UserInfo, namespace: string): readonly ResolvedBinding[] {
    const out: ResolvedBinding[] = [];
    for (const e of this.setFor(namespace).entries) {
      const i = e.appliesTo(user);
      if (i < 0) continue;
      if (e.role === undefined) out.push({ kind: "error", message: e.error });
      else {
        const subject = e.subjects[i]!.subject;
        out.push({ kind: "rules", role: e.role, describe: () => e.describe(subject) });
      }
    }
    return out;
  }

  /** `GetRoleReferenceRules`: the rules, or the error text. */
  private roleRules(ref: RoleRef, namespace: string): CompiledRole | string {
    if (ref.kind === "Role") {
      return this.roles.get(`${namespace}/${ref.name}`) ?? `role.rbac.authorization.k8s.io ${goQuote(ref.name)} not found`;
    }
    if (ref.kind === "ClusterRole") {
      return this.clusterRoles.get(ref.name) ?? `clusterrole.rbac.authorization.k8s.io ${goQuote(ref.name)} not found`;
    }
    return `unsupported role reference kind: ${goQuote(String(ref.kind))}`;
  }
}

const indexes = new WeakMap<World, RbacIndex>();

/** The index of `world`, built on first use and kept as long as the World object lives. */
export function rbacIndexFor(world: World): RbacIndex {
  let idx = indexes.get(world);
  if (!idx) {
    idx = new RbacIndex(world);
    indexes.set(world, idx);
  }
  return idx;
}
