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
 * The per-user resolution (applicable bindings, rules) is memoised per binding set: by groups alone for
 * users no User/ServiceAccount subject names (the common case: a fresh requestor per probe), else by
 * name and groups.
 */
import type { ClusterRoleBinding, RoleBinding, RoleRef, Subject, UserInfo, World } from "../../core/index.ts";
import { goQuote } from "../go-text.ts";
import { compileRole, type CompiledRole } from "./rule-match.ts";

export type ResolvedBinding =
  | { readonly kind: "rules"; readonly role: CompiledRole; readonly describe: () => string }
  | { readonly kind: "error"; readonly message: string };

interface SubjectIndex {
  readonly byUser: Map<string, number[]>;
  readonly byGroup: Map<string, number[]>;
  readonly byServiceAccount: Map<string, number[]>;
}

interface BindingSet<B> {
  readonly bindings: readonly B[];
  readonly subjects: SubjectIndex;
  /** Resolutions for users no subject names, by their groups (as a string, and by array identity). */
  readonly byGroups: Map<string, readonly ResolvedBinding[]>;
  readonly byGroupsArray: WeakMap<readonly string[], readonly ResolvedBinding[]>;
  /** Resolutions for users some User/ServiceAccount subject names, by name and groups. */
  readonly byUserKey: Map<string, readonly ResolvedBinding[]>;
}

const NONE: readonly ResolvedBinding[] = [];

const SA_PREFIX = "system:serviceaccount:";
const MAX_MEMO = 50_000;

function push(m: Map<string, number[]>, key: string, i: number): void {
  const list = m.get(key);
  if (!list) m.set(key, [i]);
  else if (list[list.length - 1] !== i) list.push(i);
}

function indexSubjects(bindings: readonly (RoleBinding | ClusterRoleBinding)[], namespace: string): SubjectIndex {
  const idx: SubjectIndex = { byUser: new Map(), byGroup: new Map(), byServiceAccount: new Map() };
  bindings.forEach((b, i) => {
    for (const s of b.subjects ?? []) {
      if (s.kind === "User") push(idx.byUser, s.name, i);
      else if (s.kind === "Group") push(idx.byGroup, s.name, i);
      else if (s.kind === "ServiceAccount") {
        const ns = s.namespace || namespace;
        if (ns !== "") push(idx.byServiceAccount, `${SA_PREFIX}${ns}:${s.name}`, i);
      }
    }
  });
  return idx;
}

function bindingSet<B extends RoleBinding | ClusterRoleBinding>(bindings: readonly B[], namespace: string): BindingSet<B> {
  return { bindings, subjects: indexSubjects(bindings, namespace), byGroups: new Map(), byGroupsArray: new WeakMap(), byUserKey: new Map() };
}

/** An injective string for a group list, cheap for the usual NUL-free groups. */
function groupsKey(groups: readonly string[]): string {
  if (groups.length === 0) return "";
  if (groups.length === 1) return `1${groups[0]}`;
  for (const g of groups) if (g.includes("\u0000")) return JSON.stringify(groups);
  return `n${groups.join("\u0000")}`;
}

/** `appliesToUser` for one subject (rule.go). */
function appliesToUser(user: UserInfo, s: Subject, namespace: string): boolean {
  if (s.kind === "User") return user.username === s.name;
  if (s.kind === "Group") return user.groups.includes(s.name);
  if (s.kind === "ServiceAccount") {
    const ns = s.namespace || namespace;
    return ns !== "" && user.username === `${SA_PREFIX}${ns}:${s.name}`;
  }
  return false;
}

/** `describeSubject` (rule.go): `Kind "name"`, a ServiceAccount as `"name/namespace"`. */
function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === "ServiceAccount") return `${s.kind} ${goQuote(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${goQuote(s.name)}`;
}

export class RbacIndex {
  private readonly clusterRoles = new Map<string, CompiledRole>();
  private readonly roles = new Map<string, CompiledRole>();
  private readonly cluster: BindingSet<ClusterRoleBinding>;
  private readonly namespaced = new Map<string, BindingSet<RoleBinding>>();

  constructor(world: World) {
    for (const r of world.clusterRoles) {
      if (!this.clusterRoles.has(r.metadata.name)) this.clusterRoles.set(r.metadata.name, compileRole(r.rules ?? []));
    }
    for (const r of world.roles) {
      const key = `${r.metadata.namespace ?? ""}/${r.metadata.name}`;
      if (!this.roles.has(key)) this.roles.set(key, compileRole(r.rules ?? []));
    }
    this.cluster = bindingSet(world.clusterRoleBindings, "");
    const perNamespace = new Map<string, RoleBinding[]>();
    for (const b of world.roleBindings) {
      const ns = b.metadata.namespace ?? "";
      const list = perNamespace.get(ns);
      if (list) list.push(b);
      else perNamespace.set(ns, [b]);
    }
    for (const [ns, bindings] of perNamespace) {
      this.namespaced.set(ns, bindingSet(bindings, ns));
    }
  }

  /** The bindings applying to `user` when checking `namespace` ("" = ClusterRoleBindings), in visit order. */
  bindingsFor(user: UserInfo, namespace: string): readonly ResolvedBinding[] {
    const set = namespace === "" ? this.cluster : this.namespaced.get(namespace);
    if (!set) return NONE;
    const { byUser, byServiceAccount } = set.subjects;
    // Most requestors (fresh names every probe) are named by no subject: then only the groups matter,
    // and the resolution is shared by every user with those groups.
    if (!byUser.has(user.username) && !byServiceAccount.has(user.username)) {
      const same = set.byGroupsArray.get(user.groups);
      if (same) return same;
      const key = groupsKey(user.groups);
      let resolved = set.byGroups.get(key);
      if (!resolved) {
        resolved = this.resolve(set, user, namespace);
        if (set.byGroups.size >= MAX_MEMO) set.byGroups.clear();
        set.byGroups.set(key, resolved);
      }
      set.byGroupsArray.set(user.groups, resolved);
      return resolved;
    }
    const key = JSON.stringify([user.username, user.groups]);
    let resolved = set.byUserKey.get(key);
    if (!resolved) {
      resolved = this.resolve(set, user, namespace);
      if (set.byUserKey.size >= MAX_MEMO) set.byUserKey.clear();
      set.byUserKey.set(key, resolved);
    }
    return resolved;
  }

  private resolve(set: BindingSet<RoleBinding | ClusterRoleBinding>, user: UserInfo, namespace: string): ResolvedBinding[] {
    const { byUser, byGroup, byServiceAccount } = set.subjects;
    const hits = new Set<number>(byUser.get(user.username) ?? []);
    for (const g of user.groups) for (const i of byGroup.get(g) ?? []) hits.add(i);
    for (const i of byServiceAccount.get(user.username) ?? []) hits.add(i);
    return [...hits].sort((a, b) => a - b).map((i) => this.resolveBinding(set.bindings[i]!, user, namespace));
  }

  private resolveBinding(b: RoleBinding | ClusterRoleBinding, user: UserInfo, namespace: string): ResolvedBinding {
    const result = this.roleRules(b.roleRef, namespace);
    if (typeof result === "string") return { kind: "error", message: result };
    const subject = (b.subjects ?? []).find((s) => appliesToUser(user, s, namespace))!;
    let text: string | undefined;
    const describe = (): string =>
      (text ??=
        b.kind === "ClusterRoleBinding"
          ? `ClusterRoleBinding ${goQuote(b.metadata.name)} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, "")}`
          : `RoleBinding ${goQuote(`${b.metadata.name}/${namespace}`)} of ${b.roleRef.kind} ${goQuote(b.roleRef.name)} to ${describeSubject(subject, namespace)}`);
    return { kind: "rules", role: result, describe };
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
