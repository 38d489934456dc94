import { UsageError } from "../core/index.ts";
import {
  classifyUsername,
  isNodeUsername,
  serviceAccountUsername,
  splitServiceAccount,
} from "./_internals/identity-names.ts";
import { type Manifest, type ObjectRef, isRbacManifest } from "./manifest-schema.ts";
import type { ExpectedCheck, Expectation, Scenario, ScenarioRequest, Step } from "./schema.ts";

/**
 * Isolating a scenario on a shared kube-apiserver.
 *
 * All scenarios of a run share one server, and the impersonation filter keeps state there that
 * outlives a scenario (SPEC §7, §11): the mode index maps a *requestor name* to the mode that last
 * succeeded for it, with no expiry (cleared only by a restart or LRU eviction), and the outer/inner
 * caches keep successes for 10 s keyed by the full requestor. A second scenario reusing a requestor
 * name would therefore see a different check order, message, constraint and even groups (§11.5).
 * RBAC objects are global too: two scenarios' bindings for one subject add up.
 *
 * So for each run a scenario gets a unique token (e.g. `-s3k9x`) appended to the names it owns:
 * - every requestor username (`request.as.user`), including service-account requestors, whose
 *   name part gets it (`system:serviceaccount:ns:sa` → `system:serviceaccount:ns:sa-s3k9x`);
 * - every name bound by the scenario's RBAC (User, ServiceAccount and non-`system:` Group subjects)
 *   and every non-`system:` requestor group, so its grants reach no other scenario;
 * - the names of the RBAC objects it defines (Role, ClusterRole and their bindings), with roleRefs
 *   and `delete` steps following, and ServiceAccount objects of renamed service accounts.
 * Each rename is applied consistently wherever that identity appears: requestors, subjects,
 * `resourceNames` of rules over users/groups/serviceaccounts, `Impersonate-User`/`-Group` values that
 * happen to name it, and `expect.user`, `expect.checks[].user`/`.name`.
 *
 * Impersonation *targets* are not renamed for their own sake: the mode index and the caches key on the
 * requestor, so a target needs no uniqueness, and keeping it keeps the checks and messages of the file
 * readable. A target is renamed only when it is also one of the names above (self-impersonation, or a
 * target the scenario grants rights to), because otherwise the renamed world would differ from the
 * written one. Namespaces, nodes and all other objects keep their names, so paths and the Node
 * authorizer's graph stay as written; they are shared (created if missing) and listed in `kept`.
 * Also kept: node usernames (their name is the node's), `system:anonymous`, identities the bootstrap
 * RBAC policy binds (kube-system controller service accounts, `system:kube-scheduler`, ...), `system:`
 * groups, and any name whose renamed form the filter would classify differently (SPEC §6).
 *
 * Observed strings (messages, check users, usernames) are mapped back with `restore`, which removes
 * the token; since the token occurs in no string of the original scenario, restoring every string of
 * the isolated scenario gives the original back exactly. One thing renaming can change: RBAC's list
 * order of bindings, which only shows in the order of errors in an `RBAC: ...` denial reason.
 */

export interface KeptName {
  readonly kind: "user" | "group" | "object";
  readonly name: string;
  readonly reason: string;
}

export interface Isolation {
  /** Appended to every renamed name, e.g. `-s3k9x`. */
  readonly token: string;
  /** The scenario with its owned names renamed. Expectation messages are left as written. */
  readonly scenario: Scenario;
  /** Original → renamed username (requestors and bound users, service accounts as full usernames). */
  readonly users: ReadonlyMap<string, string>;
  readonly groups: ReadonlyMap<string, string>;
  /** `Kind/name` or `Kind/namespace/name` of the RBAC and ServiceAccount objects → renamed name. */
  readonly objects: ReadonlyMap<string, string>;
  /** Names deliberately left shared with other scenarios, with why. */
  readonly kept: readonly KeptName[];
  /** Maps an observed string back to the names written in the file. */
  restore(text: string): string;
  /** `restore` applied to every string inside a JSON-like value (object keys excepted). */
  restoreDeep<T>(value: T): T;
}

export interface IsolateOptions {
  /** Use this token instead of a random one (must start with "-" and occur in no string of the scenario). */
  readonly token?: string;
  /** Source of randomness for the token; `Math.random` by default. */
  readonly random?: () => number;
}

const BOOTSTRAP_USERS = new Set(["system:kube-controller-manager", "system:kube-scheduler", "system:kube-proxy", "system:apiserver"]);
const BOOTSTRAP_KUBE_SYSTEM_SA =
  /-controller$|^(generic-garbage-collector|horizontal-pod-autoscaler|persistent-volume-binder|pod-garbage-collector|root-ca-cert-publisher|kube-dns|token-cleaner|bootstrap-signer|cloud-provider|legacy-service-account-token-cleaner)$/;
const TOKEN_RE = /^-[a-z][a-z0-9]{2,15}$/;
const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A token like `-s3k9x`: a letter then four letters or digits. */
export function makeIsolationToken(random: () => number = Math.random): string {
  const pick = (n: number) => ALPHABET[Math.floor(random() * n) % n]!;
  return `-${pick(26)}${pick(36)}${pick(36)}${pick(36)}${pick(36)}`;
}

function userKeepReason(name: string, token: string): string | undefined {
  if (isNodeUsername(name)) return "a node username names the node (Node authorizer graph, paths, node-name extras)";
  if (name === "system:anonymous") return "system:anonymous is special to the filter (it gets system:unauthenticated)";
  if (BOOTSTRAP_USERS.has(name)) return "bound by the bootstrap RBAC policy";
  const sa = splitServiceAccount(name);
  if (sa?.namespace === "kube-system" && BOOTSTRAP_KUBE_SYSTEM_SA.test(sa.name)) return "a kube-system controller bound by the bootstrap RBAC policy";
  if (classifyUsername(name + token) !== classifyUsername(name)) return "renaming it would change how the filter classifies it";
  return undefined;
}

function objectKey(kind: string, name: string, namespace?: string): string {
  return namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
}

const NAMESPACED_KINDS = new Set(["Role", "RoleBinding", "ServiceAccount"]);

function manifestsOf(s: Scenario): Manifest[] {
  return [...s.spec.objects, ...s.spec.steps.flatMap((st) => ("apply" in st ? st.apply : []))];
}

function requestsOf(s: Scenario): ScenarioRequest[] {
  return s.spec.steps.flatMap((st) => ("request" in st ? [st.request] : []));
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function subjectsOf(m: Manifest): Subject[] {
  return isRbacManifest(m) && Array.isArray(m["subjects"]) ? (m["subjects"] as Subject[]) : [];
}

function allStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) allStrings(v, out);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allStrings(v, out);
    }
  }
  return out;
}

function mapStrings<T>(value: T, f: (s: string) => string): T {
  if (typeof value === "string") return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, f)])) as T;
  }
  return value;
}

/**
 * A rule's `resourceNames` apply to each of its resources: `resources: [users, groups]` with
 * `resourceNames: [g1]` grants impersonating the user g1 and the group g1. If only one of those
 * identities is renamed, no single new name keeps the rule's meaning for both (renaming it would grant
 * the user `g1-s3k9x`, whom nothing else names). Such a name is kept in every category instead, with
 * its reason, which keeps the world as written at the price of sharing that name between scenarios.
 */
function keepAmbiguousResourceNames(scenario: Scenario, users: Map<string, string>, groups: Map<string, string>, kept: KeptName[]): void {
  const saUsernamesNamed = (n: string) => [...users.keys()].filter((u) => splitServiceAccount(u)?.name === n);
  for (const m of manifestsOf(scenario)) {
    if (!Array.isArray(m["rules"])) continue;
    for (const rule of m["rules"] as { resources?: string[]; resourceNames?: string[] }[]) {
      const resources = rule.resources ?? [];
      const categories = (["users", "groups", "serviceaccounts"] as const).filter((r) => resources.includes(r));
      if (categories.length < 2) continue;
      for (const n of rule.resourceNames ?? []) {
        const renamed = categories.map((c) => (c === "users" ? users.has(n) : c === "groups" ? groups.has(n) : saUsernamesNamed(n).length > 0));
        if (renamed.every((r) => r) || renamed.every((r) => !r)) continue;
        const reason = `named in the resourceNames of a rule over ${categories.join(" and ")}, where only some of those identities would be renamed`;
        if (users.delete(n)) kept.push({ kind: "user", name: n, reason });
        if (groups.delete(n)) kept.push({ kind: "group", name: n, reason });
        for (const u of saUsernamesNamed(n)) {
          users.delete(u);
          kept.push({ kind: "user", name: u, reason });
        }
      }
    }
  }
}

export function isolateScenario(scenario: Scenario, options: IsolateOptions = {}): Isolation {
  const haystack = allStrings(scenario);
  const collides = (t: string) => haystack.some((s) => s.includes(t));
  let token = options.token;
  if (token !== undefined) {
    if (!TOKEN_RE.test(token)) throw new UsageError(`isolation token "${token}" must look like -s3k9x ("-", a letter, 2-15 of a-z0-9)`);
    if (collides(token)) throw new UsageError(`isolation token "${token}" occurs in scenario ${scenario.metadata.name}: pick another`);
  } else {
    do token = makeIsolationToken(options.random);
    while (collides(token));
  }
  const tok = token;
  const kept: KeptName[] = [];

  // Users: requestors and every user the scenario's RBAC binds.
  const users = new Map<string, string>();
  const candidateUsers = new Set<string>(requestsOf(scenario).map((r) => r.as.user));
  const candidateGroups = new Set<string>(requestsOf(scenario).flatMap((r) => r.as.groups ?? []));
  for (const m of manifestsOf(scenario)) {
    for (const sub of subjectsOf(m)) {
      if (sub.kind === "User") candidateUsers.add(sub.name);
      if (sub.kind === "ServiceAccount" && sub.namespace) candidateUsers.add(serviceAccountUsername(sub.namespace, sub.name));
      if (sub.kind === "Group") candidateGroups.add(sub.name);
    }
  }
  for (const name of candidateUsers) {
    const reason = userKeepReason(name, tok);
    if (reason === undefined) users.set(name, name + tok);
    else kept.push({ kind: "user", name, reason });
  }
  const groups = new Map<string, string>();
  for (const g of candidateGroups) if (g !== "" && !g.startsWith("system:")) groups.set(g, g + tok);
  keepAmbiguousResourceNames(scenario, users, groups, kept);

  // Objects: the RBAC objects the scenario defines, and ServiceAccounts of renamed service accounts.
  const objects = new Map<string, string>();
  for (const m of manifestsOf(scenario)) {
    const ns = NAMESPACED_KINDS.has(m.kind) ? m.metadata.namespace : undefined;
    if (isRbacManifest(m)) objects.set(objectKey(m.kind, m.metadata.name, ns), m.metadata.name + tok);
    else if (m.apiVersion === "v1" && m.kind === "ServiceAccount" && ns && users.has(serviceAccountUsername(ns, m.metadata.name))) {
      objects.set(objectKey(m.kind, m.metadata.name, ns), m.metadata.name + tok);
    } else if (!kept.some((k) => k.kind === "object" && k.name === objectKey(m.kind, m.metadata.name, m.metadata.namespace))) {
      kept.push({ kind: "object", name: objectKey(m.kind, m.metadata.name, m.metadata.namespace), reason: "shared: paths and the Node authorizer name it; created if missing" });
    }
  }

  const user = (n: string) => users.get(n) ?? n;
  const group = (n: string) => groups.get(n) ?? n;
  /** Name part of a service account, renamed if that service account is renamed in namespace `ns` (any namespace if undefined). */
  const saName = (n: string, ns?: string) => {
    for (const [orig, renamed] of users) {
      const sa = splitServiceAccount(orig);
      if (sa && sa.name === n && (ns === undefined || sa.namespace === ns)) return splitServiceAccount(renamed)!.name;
    }
    return n;
  };

  const renameManifest = (m: Manifest): Manifest => {
    const ns = NAMESPACED_KINDS.has(m.kind) ? m.metadata.namespace : undefined;
    const renamedName = objects.get(objectKey(m.kind, m.metadata.name, ns));
    const out: Record<string, unknown> = { ...m };
    if (renamedName !== undefined) out["metadata"] = { ...m.metadata, name: renamedName };
    if (!isRbacManifest(m)) return out as Manifest;
    if (m["roleRef"] !== undefined) {
      const ref = m["roleRef"] as { kind: string; name: string; apiGroup: string };
      const key = ref.kind === "Role" ? objectKey("Role", ref.name, m.metadata.namespace) : objectKey(ref.kind, ref.name);
      out["roleRef"] = { ...ref, name: objects.get(key) ?? ref.name };
    }
    if (m["subjects"] !== undefined) {
      out["subjects"] = subjectsOf(m).map((sub) => {
        if (sub.kind === "User") return { ...sub, name: user(sub.name) };
        if (sub.kind === "Group") return { ...sub, name: group(sub.name) };
        if (sub.kind === "ServiceAccount") return { ...sub, name: saName(sub.name, sub.namespace) };
        return sub;
      });
    }
    if (Array.isArray(m["rules"])) {
      out["rules"] = (m["rules"] as { resources?: string[]; resourceNames?: string[] }[]).map((rule) => {
        if (rule.resourceNames === undefined) return rule;
        const resources = rule.resources ?? [];
        const rename = (n: string) => {
          if (resources.includes("users") && users.has(n)) return user(n);
          if (resources.includes("groups") && groups.has(n)) return group(n);
          if (resources.includes("serviceaccounts")) return saName(n);
          return n;
        };
        return { ...rule, resourceNames: rule.resourceNames.map(rename) };
      });
    }
    return out as Manifest;
  };

  const renameRef = (ref: ObjectRef): ObjectRef => {
    const ns = NAMESPACED_KINDS.has(ref.kind) ? ref.namespace : undefined;
    const renamed = objects.get(objectKey(ref.kind, ref.name, ns));
    return renamed === undefined ? ref : { ...ref, name: renamed };
  };

  const renameRequest = (r: ScenarioRequest): ScenarioRequest => {
    const out: ScenarioRequest = { ...r, as: { ...r.as, user: user(r.as.user) } };
    if (r.as.groups !== undefined) out.as = { ...out.as, groups: r.as.groups.map(group) };
    if (r.impersonate !== undefined) {
      const imp = { ...r.impersonate };
      if (imp.user !== undefined) imp.user = user(imp.user);
      if (imp.groups !== undefined) imp.groups = imp.groups.map(group);
      out.impersonate = imp;
    }
    if (r.headers !== undefined) {
      out.headers = Object.fromEntries(
        Object.entries(r.headers).map(([h, values]) => {
          const lower = h.toLowerCase();
          if (lower === "impersonate-user") return [h, values.map(user)];
          if (lower === "impersonate-group") return [h, values.map(group)];
          return [h, values];
        }),
      );
    }
    return out;
  };

  const renameCheck = (c: ExpectedCheck): ExpectedCheck => {
    const out = { ...c };
    if (c.user !== undefined) out.user = user(c.user);
    if (c.name !== undefined) {
      if (c.resource === "users") out.name = user(c.name);
      else if (c.resource === "groups") out.name = group(c.name);
      else if (c.resource === "serviceaccounts" && c.namespace !== undefined) out.name = saName(c.name, c.namespace);
    }
    return out;
  };

  const renameExpect = (e: Expectation): Expectation => {
    const out = { ...e };
    if (e.user !== undefined) {
      out.user = { ...e.user };
      if (e.user.username !== undefined) out.user.username = user(e.user.username);
      if (e.user.groups !== undefined) out.user.groups = e.user.groups.map(group);
    }
    if (e.checks !== undefined) out.checks = e.checks.map(renameCheck);
    return out;
  };

  const renameStep = (st: Step): Step => {
    if ("request" in st) return st.expect === undefined ? { ...st, request: renameRequest(st.request) } : { ...st, request: renameRequest(st.request), expect: renameExpect(st.expect) };
    if ("apply" in st) return { ...st, apply: st.apply.map(renameManifest) };
    if ("delete" in st) return { ...st, delete: st.delete.map(renameRef) };
    return st;
  };

  const isolated: Scenario = {
    ...scenario,
    spec: { ...scenario.spec, objects: scenario.spec.objects.map(renameManifest), steps: scenario.spec.steps.map(renameStep) },
  };
  const restore = (text: string) => text.split(tok).join("");
  return {
    token: tok,
    scenario: isolated,
    users,
    groups,
    objects,
    kept,
    restore,
    restoreDeep: <T>(value: T) => mapStrings(value, restore),
  };
}
