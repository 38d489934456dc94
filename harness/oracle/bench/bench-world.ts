/**
 * The inputs of the oracle benches (`bench:oracle`, oracle-bench.ts, and `bench:oracle:instructions`,
 * instruction-workload.ts), kept apart so every tool measures exactly the same thing: RBAC worlds of a
 * given number of policy rules and a realistic probe mix, all from a fixed-seed PRNG (`benchInputs`);
 * and their one command-line helper (`benchOption`).
 */
import { asAuthenticated, userInfo, type HttpRequest, type PolicyRule, type UserInfo, type World } from "../../core/index.ts";
import { clusterRole, clusterRoleBinding, group, role, roleBinding, world } from "../rbac/test-world.ts";

export const SEED = 5284;
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMESPACES = ["default", "team-a", "team-b", "kube-system"];
const RESOURCES = ["pods", "services", "configmaps", "secrets", "deployments"];
const VERBS = ["get", "list", "create", "delete"];
const MODES = ["user-info", "serviceaccount", "arbitrary-node", "associated-node"];
/** Requestor groups: each one bound to a slice of the rules, so some probes are allowed and some not. */
const ROLES_OF_REQUESTORS = ["imp-user", "imp-sa", "imp-node", "imp-assoc", "imp-legacy", "imp-none"];

/** A world with exactly `n` policy rules, drawn from the kinds the probes exercise. */
export function benchWorld(n: number, rnd: () => number): World {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const kinds: ((i: number) => PolicyRule)[] = [
    () => ({ verbs: [`impersonate-on:${pick(MODES)}:${pick(VERBS)}`], apiGroups: ["", "apps"], resources: [pick(RESOURCES)] }),
    () => ({ verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: [pick(["users", "groups", "uids", "userextras/*"])] }),
    () => ({ verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: ["users"], resourceNames: [`user-${Math.floor(rnd() * 8)}`] }),
    () => ({ verbs: ["impersonate:serviceaccount"], apiGroups: ["authentication.k8s.io"], resources: ["serviceaccounts"] }),
    () => ({ verbs: [pick(["impersonate:arbitrary-node", "impersonate:associated-node"])], apiGroups: ["authentication.k8s.io"], resources: ["nodes"] }),
    () => ({ verbs: ["impersonate"], apiGroups: [""], resources: [pick(["users", "groups", "serviceaccounts"])] }),
    () => ({ verbs: [pick(VERBS), "watch"], apiGroups: ["", "apps"], resources: [pick(RESOURCES)] }),
    () => ({ verbs: ["get"], nonResourceURLs: ["/healthz", "/version"] }),
  ];

  const clusterRoles = [];
  const bindings = [];
  const roles = [];
  const roleBindings = [];
  // Anchor rules first, so every mode can succeed for some probes whatever n is; then random rules.
  const onVerbs = MODES.flatMap((m) => [`impersonate-on:${m}:get`, `impersonate-on:${m}:list`]);
  const anchors: [PolicyRule, string][] = [
    [{ verbs: onVerbs, apiGroups: ["", "apps"], resources: RESOURCES }, "system:authenticated"],
    [{ verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: ["users", "groups", "uids", "userextras/*"] }, "imp-user"],
    [{ verbs: ["impersonate:serviceaccount"], apiGroups: ["authentication.k8s.io"], resources: ["serviceaccounts"] }, "imp-sa"],
    [{ verbs: ["impersonate:arbitrary-node"], apiGroups: ["authentication.k8s.io"], resources: ["nodes"] }, "imp-node"],
    [{ verbs: ["impersonate:associated-node"], apiGroups: ["authentication.k8s.io"], resources: ["nodes"] }, "imp-assoc"],
    [{ verbs: ["impersonate"], apiGroups: [""], resources: ["users", "groups", "serviceaccounts"] }, "imp-legacy"],
    [{ verbs: ["get", "list", "watch"], apiGroups: ["", "apps"], resources: RESOURCES }, "system:authenticated"],
    [{ verbs: ["get", ...onVerbs], nonResourceURLs: ["/healthz", "/version"] }, "system:authenticated"],
  ];
  const rules: [PolicyRule, string][] = [];
  for (let i = 0; i < n; i++) {
    rules.push(i < anchors.length ? anchors[i]! : [kinds[Math.floor(rnd() * kinds.length)]!(i), pick(ROLES_OF_REQUESTORS)]);
  }
  for (let i = 0; i < rules.length; i++) {
    const [rule, groupName] = rules[i]!;
    const subject = group(groupName);
    if (i >= anchors.length && rnd() < 0.25) {
      const ns = pick(NAMESPACES);
      roles.push(role(ns, `r${i}`, rule));
      roleBindings.push(roleBinding(ns, `rb${i}`, { kind: "Role", name: `r${i}` }, subject));
    } else {
      clusterRoles.push(clusterRole(`cr${i}`, rule));
      bindings.push(clusterRoleBinding(`crb${i}`, `cr${i}`, subject));
    }
  }
  return world({ clusterRoles, clusterRoleBindings: bindings, roles, roleBindings, nodes: ["node-0", "node-1"] });
}

export interface Probe {
  readonly requestor: UserInfo;
  readonly request: HttpRequest;
}

/**
 * `count` probes drawn from `rnd`. `fresh`: every requestor has a name of its own, numbered from
 * `firstId` (so successive calls can go on numbering); otherwise 16 names repeat.
 */
export function probes(count: number, rnd: () => number, fresh: boolean, firstId = 0): Probe[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: Probe[] = [];
  for (let i = 0; i < count; i++) {
    const ns = pick(NAMESPACES);
    const resource = pick(RESOURCES);
    const group = resource === "deployments" ? "/apis/apps/v1" : "/api/v1";
    const verb = pick(VERBS);
    const method = verb === "create" ? "POST" : verb === "delete" ? "DELETE" : "GET";
    const path = rnd() < 0.05 ? "/healthz" : `${group}/namespaces/${ns}/${resource}${verb === "list" || verb === "create" ? "" : `/obj-${Math.floor(rnd() * 4)}`}`;
    const id = fresh ? `${firstId + i}` : `${i % 16}`;
    const kind = rnd();
    let requestor: UserInfo;
    let headers: [string, string][];
    if (kind < 0.35) {
      requestor = userInfo(`alice-${id}`, { groups: [rnd() < 0.7 ? "imp-user" : pick(ROLES_OF_REQUESTORS)] });
      headers = [["Impersonate-User", `user-${Math.floor(rnd() * 10)}`]];
      if (rnd() < 0.3) headers.push(["Impersonate-Group", `g${Math.floor(rnd() * 5)}`]);
      if (rnd() < 0.15) headers.push(["Impersonate-Uid", `uid-${Math.floor(rnd() * 5)}`]);
      if (rnd() < 0.15) headers.push(["Impersonate-Extra-Example.com%2Fscopes", pick(["read", "write"])]);
    } else if (kind < 0.5) {
      requestor = userInfo(`sa-user-${id}`, { groups: [rnd() < 0.7 ? "imp-sa" : pick(ROLES_OF_REQUESTORS)] });
      headers = [["Impersonate-User", `system:serviceaccount:${pick(NAMESPACES)}:app-${Math.floor(rnd() * 3)}`]];
    } else if (kind < 0.62) {
      requestor = userInfo(`node-user-${id}`, { groups: [rnd() < 0.7 ? "imp-node" : pick(ROLES_OF_REQUESTORS)] });
      headers = [["Impersonate-User", `system:node:node-${Math.floor(rnd() * 2)}`]];
    } else if (kind < 0.77) {
      const node = `node-${Math.floor(rnd() * 2)}`;
      requestor = userInfo(`system:serviceaccount:agents:agent-${id}`, {
        groups: ["system:serviceaccounts", "system:serviceaccounts:agents", rnd() < 0.7 ? "imp-assoc" : pick(ROLES_OF_REQUESTORS)],
        extra: { "authentication.kubernetes.io/node-name": [node], "authentication.kubernetes.io/credential-id": [`JTI=${firstId + i}`] },
      });
      headers = [["Impersonate-User", `system:node:${node}`]];
    } else if (kind < 0.9) {
      requestor = userInfo(`legacy-${id}`, { groups: ["imp-legacy"] });
      headers = [["Impersonate-User", `bob-${Math.floor(rnd() * 3)}`]];
      if (rnd() < 0.3) headers.push(["Impersonate-Group", "devs"]);
    } else {
      requestor = userInfo(`plain-${id}`, { groups: [pick(ROLES_OF_REQUESTORS)] });
      headers = [];
    }
    out.push({ requestor: asAuthenticated(requestor), request: { method, path, headers } });
  }
  return out;
}

/** Warm probes: this many over 16 requestors. */
export const WARM_PROBES = 20_000;
/** Cold probes per pass, each with a requestor of its own (drawn as twice as many, the first half kept). */
export const COLD_PROBES = 30_000;

/** What the oracle benches measure for a world of `rules` policy rules. */
export interface BenchInputs {
  readonly world: World;
  /** Unique requestor names: nothing is cached for them. */
  readonly cold: readonly Probe[];
  readonly warm: readonly Probe[];
}

/** The world of `rules` rules and the generator that drew it, which goes on to draw its probes. */
function seededWorld(rules: number): { readonly world: World; readonly rnd: () => number } {
  const rnd = mulberry32(SEED + rules);
  return { world: benchWorld(rules, rnd), rnd };
}

/** The world and probes of `rules` rules: the same draws in every bench that measures them. */
export function benchInputs(rules: number): BenchInputs {
  const { world, rnd } = seededWorld(rules);
  // Drawn as 2 × COLD_PROBES and halved, so the warm probes after them stay what they always were.
  const cold = probes(2 * COLD_PROBES, rnd, true).slice(0, COLD_PROBES);
  const warm = probes(WARM_PROBES, rnd, false);
  return { world, cold, warm };
}

/** Probes made at a time for the fresh count: few enough for a batch to stay in cache, as a probe a runner has just made is. */
export const FRESH_CHUNK = 500;

/**
 * Probes as a runner has them: made just before they are predicted, so their objects are young and
 * their strings have never been hashed or flattened, and every requestor has a name of its own. The
 * world is `benchInputs(rules)`'s; the probes come `count` at a time from the generator that drew it.
 * (The cold and warm cells predict the same pre-made probes pass after pass: V8 keeps each string's hash
 * and flat form from the first pass, and the probes are old objects by then.)
 */
export function freshProbes(rules: number): { readonly world: World; readonly next: (count: number) => Probe[] } {
  const { world, rnd } = seededWorld(rules);
  let firstId = 0;
  const next = (count: number): Probe[] => {
    const ps = probes(count, rnd, true, firstId);
    firstId += count;
    return ps;
  };
  return { world, next };
}

/** `--name value` from the command line, else `fallback`; without a fallback the option is required. */
export function benchOption(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && i + 1 < process.argv.length) return process.argv[i + 1]!;
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}
