/**
 * Validity of generated values, shared by the tests (@internal). Each function returns the list of
 * problems (empty = valid) so a test can show all of them at once.
 */
import type { CaseProbe, Manifest, PolicyRule, Subject } from "../../../core/index.ts";
import type { CaseTemplate } from "../../fuzz-case.ts";
import { isSafeRequest } from "../../instantiate-case.ts";
import { isHeaderToken, isSendableValue } from "../helpers/headers.ts";
import { isDnsLabel, isDnsSubdomain } from "../helpers/usernames.ts";
import { BOOTSTRAP_CLUSTER_ROLES, RBAC_API_GROUP, RBAC_API_VERSION } from "../vocabulary.ts";

export function ruleProblems(rule: PolicyRule, namespaced: boolean, where: string): string[] {
  const p: string[] = [];
  if (!rule.verbs?.length) p.push(`${where}: no verbs`);
  if (rule.nonResourceURLs?.length) {
    if (namespaced) p.push(`${where}: nonResourceURLs in a Role`);
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) p.push(`${where}: mixes resource and non-resource fields`);
    for (const u of rule.nonResourceURLs) if (!(u === "*" || u.startsWith("/"))) p.push(`${where}: nonResourceURL ${u}`);
    return p;
  }
  if (!rule.apiGroups?.length) p.push(`${where}: resource rule without apiGroups`);
  if (!rule.resources?.length) p.push(`${where}: resource rule without resources`);
  if (rule.resourceNames && (rule.resourceNames.length === 0 || rule.resourceNames.some((n) => n === ""))) p.push(`${where}: empty resourceNames entry`);
  return p;
}

export function subjectProblems(s: Subject, where: string): string[] {
  if (s.kind === "ServiceAccount") {
    const p: string[] = [];
    if (s.apiGroup) p.push(`${where}: ServiceAccount subject with apiGroup`);
    if (!s.namespace) p.push(`${where}: ServiceAccount subject without namespace`);
    if (!isDnsSubdomain(s.name)) p.push(`${where}: ServiceAccount subject name ${s.name}`);
    return p;
  }
  if (s.kind !== "User" && s.kind !== "Group") return [`${where}: subject kind ${String(s.kind)}`];
  const p: string[] = [];
  if (s.apiGroup !== RBAC_API_GROUP) p.push(`${where}: ${s.kind} subject apiGroup ${s.apiGroup}`);
  if (!s.name) p.push(`${where}: empty ${s.kind} subject name`);
  return p;
}

/** What the API server would reject, or what the harness cannot apply, in one manifest. */
export function manifestProblems(m: Manifest): string[] {
  const where = `${m.kind}/${m.metadata.namespace ? `${m.metadata.namespace}/` : ""}${m.metadata.name}`;
  const p: string[] = [];
  if (m.kind === "Namespace") {
    if (m.apiVersion !== "v1") p.push(`${where}: apiVersion`);
    if (!isDnsLabel(m.metadata.name)) p.push(`${where}: not a DNS-1123 label`);
    return p;
  }
  if (!["ClusterRole", "Role", "ClusterRoleBinding", "RoleBinding"].includes(m.kind)) return [`${where}: unexpected kind`];
  if (m.apiVersion !== RBAC_API_VERSION) p.push(`${where}: apiVersion ${m.apiVersion}`);
  if (!isDnsSubdomain(m.metadata.name)) p.push(`${where}: name not a DNS-1123 subdomain`);
  const namespaced = m.kind === "Role" || m.kind === "RoleBinding";
  if (namespaced !== (m.metadata.namespace !== undefined)) p.push(`${where}: namespace presence`);
  if (m.metadata.namespace !== undefined && !isDnsLabel(m.metadata.namespace)) p.push(`${where}: namespace not a DNS label`);
  if (m.kind === "Role" || m.kind === "ClusterRole") {
    const rules = (m["rules"] ?? []) as PolicyRule[];
    rules.forEach((r, i) => p.push(...ruleProblems(r, m.kind === "Role", `${where} rule ${i}`)));
  } else {
    const ref = m["roleRef"] as { apiGroup?: string; kind?: string; name?: string } | undefined;
    if (!ref || ref.apiGroup !== RBAC_API_GROUP || !ref.name) p.push(`${where}: roleRef`);
    else if (m.kind === "ClusterRoleBinding" ? ref.kind !== "ClusterRole" : ref.kind !== "Role" && ref.kind !== "ClusterRole") p.push(`${where}: roleRef kind ${ref.kind}`);
    const subjects = (m["subjects"] ?? []) as Subject[];
    if (subjects.length === 0) p.push(`${where}: no subjects`);
    subjects.forEach((s, i) => p.push(...subjectProblems(s, `${where} subject ${i}`)));
  }
  return p;
}

function lastPathSegment(path: string): string {
  return path.split("?")[0]!.split("/").filter(Boolean).at(-1) ?? "";
}

export function probeProblems(probe: CaseProbe, where: string): string[] {
  const p: string[] = [];
  const { method, path, headers, body } = probe.request;
  if (!["GET", "POST", "PUT", "PATCH", "DELETE"].includes(method)) p.push(`${where}: method ${method}`);
  if (!path.startsWith("/")) p.push(`${where}: path ${path}`);
  if (!isSafeRequest(method, path)) p.push(`${where}: ${method} ${path} without dryRun=All`);
  if (/[?&]watch=true/.test(path) && !/[?&]timeoutSeconds=1(&|$)/.test(path)) p.push(`${where}: watch without timeoutSeconds=1`);
  if ((method === "POST" || method === "PUT" || method === "PATCH") && body === undefined) p.push(`${where}: ${method} without a body`);
  if (method === "PUT") {
    const name = (body as { metadata?: { name?: string } })?.metadata?.name;
    const segs = path.split("?")[0]!.split("/");
    const itemName = segs.at(-1) === "status" ? segs.at(-2) : segs.at(-1);
    if (name !== itemName) p.push(`${where}: PUT body name ${name} vs path ${itemName}`);
  }
  if (method === "PATCH" && JSON.stringify(body) !== "{}") p.push(`${where}: PATCH body ${JSON.stringify(body)}`);
  if (method === "POST" && !path.includes("selfsubjectreviews")) {
    const name = (body as { metadata?: { name?: string } })?.metadata?.name;
    if (!name || !isDnsSubdomain(name)) p.push(`${where}: POST body name ${name}`);
    if (lastPathSegment(path) === name) p.push(`${where}: POST to an item path`);
  }
  for (const [n, v] of headers) {
    if (!isHeaderToken(n)) p.push(`${where}: header name ${JSON.stringify(n)}`);
    if (!/^impersonate-/i.test(n)) p.push(`${where}: non-impersonation header ${n}`);
    if (!isSendableValue(v)) p.push(`${where}: header value ${JSON.stringify(v)}`);
  }
  if (!probe.requestor.username) p.push(`${where}: empty requestor`);
  return p;
}

export function isBootstrapRoleName(name: string): boolean {
  return (BOOTSTRAP_CLUSTER_ROLES as readonly string[]).includes(name);
}

/** Structural validity of a template or an instantiated case (names are not checked for prefixes here). */
export function caseProblems(c: Pick<CaseTemplate, "objects" | "probes"> | { objects: readonly Manifest[]; probes: readonly CaseProbe[] }): string[] {
  const p: string[] = [];
  const keys = new Set<string>();
  for (const m of c.objects) {
    p.push(...manifestProblems(m));
    const key = `${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name}`;
    if (keys.has(key)) p.push(`duplicate object ${key}`);
    keys.add(key);
  }
  const namespaces = new Set(c.objects.filter((m) => m.kind === "Namespace").map((m) => m.metadata.name));
  for (const m of c.objects) {
    if (m.metadata.namespace !== undefined && !namespaces.has(m.metadata.namespace)) p.push(`${m.kind}/${m.metadata.name}: namespace ${m.metadata.namespace} not created`);
  }
  if (c.probes.length === 0) p.push("no probes");
  const users = new Set<string>();
  c.probes.forEach((probe, i) => {
    p.push(...probeProblems(probe, `probe ${i}`));
    if (users.has(probe.requestor.username)) p.push(`probe ${i}: requestor ${probe.requestor.username} not unique`);
    users.add(probe.requestor.username);
  });
  return p;
}
