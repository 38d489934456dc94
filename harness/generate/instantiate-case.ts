import type { CaseProbe, FuzzCase, Manifest, PolicyRule, Subject, UserInfo } from "../core/index.ts";
import { UsageError } from "../core/index.ts";
import { canonicalHeaderKey, IMPERSONATE_GROUP, IMPERSONATE_USER, isHeaderToken, isSendableValue } from "./_internals/helpers/headers.ts";
import { Renamer } from "./_internals/mappers/rename.ts";
import type { CaseTemplate } from "./fuzz-case.ts";
import { hasDryRunAll, MUTATING_METHODS } from "./target-request.ts";

/** Lower-case alphanumerics and `-`, starting alphanumeric, at most 40 (so `<prefix>ns-a` stays a DNS label); or "". */
const PREFIX = /^([a-z0-9][a-z0-9-]{0,39})?$/;

const SELF_SUBJECT_REVIEWS = /^\/apis\/authentication\.k8s\.io\/v1\/selfsubjectreviews(\?|$)/;

/** SPEC-independent safety: a request that could change the cluster must be a dry run. */
export function isSafeRequest(method: string, path: string): boolean {
  if (!(MUTATING_METHODS as readonly string[]).includes(method.toUpperCase())) return true;
  return SELF_SUBJECT_REVIEWS.test(path) || hasDryRunAll(path);
}

function renameManifest(m: Manifest, r: Renamer): Manifest {
  if (m.kind === "Namespace") return { ...m, metadata: { ...m.metadata, name: r.namespace(m.metadata.name) } };
  const metadata = { ...m.metadata, name: r.object(m.metadata.name), ...(m.metadata.namespace === undefined ? {} : { namespace: r.namespace(m.metadata.namespace) }) };
  const out: Record<string, unknown> = { ...m, metadata };
  if (Array.isArray(m["rules"])) {
    out["rules"] = (m["rules"] as PolicyRule[]).map((rule) => (rule.resourceNames ? { ...rule, resourceNames: rule.resourceNames.map((n) => r.name(n)) } : rule));
  }
  if (Array.isArray(m["subjects"])) {
    out["subjects"] = (m["subjects"] as Subject[]).map((s) => ({
      ...s,
      name: r.name(s.name),
      ...(s.namespace === undefined ? {} : { namespace: r.namespace(s.namespace) }),
    }));
  }
  const ref = m["roleRef"] as { kind: string; name: string } | undefined;
  if (ref) out["roleRef"] = { ...ref, name: r.roleRef(ref.kind, ref.name) };
  return out as Manifest;
}

function renameProbe(p: CaseProbe, r: Renamer): CaseProbe {
  const requestor: UserInfo = { ...p.requestor, username: r.name(p.requestor.username), groups: p.requestor.groups.map((g) => r.name(g)) };
  const headers = p.request.headers.map(([n, v]) => {
    const c = canonicalHeaderKey(n);
    return [n, c === IMPERSONATE_USER || c === IMPERSONATE_GROUP ? r.name(v) : v] as const;
  });
  return { requestor, request: { ...p.request, path: r.path(p.request.path), headers } };
}

/**
 * Instantiates a template for one execution: every local name gets `prefix` — namespaces the case
 * creates, its RBAC objects and role references (bootstrap roles aside), requestor usernames (the
 * namespace and name parts of SA usernames), case-local groups, and every occurrence of those in
 * subjects, resourceNames, `Impersonate-User`/`-Group` values (self-impersonation, `tg-*` groups,
 * SA targets in case namespaces) and request paths. Other impersonation targets, uids, extras and
 * node names are sent as generated. The runner passes a fresh prefix per execution, so the
 * server's mode index and caches start cold; `""` keeps the template's names.
 *
 * Probe order is kept: `template.probes[i].intent` describes `result.probes[i]`. Throws a
 * UsageError for a bad prefix, and if a probe would be unsafe or unsendable (never for generated
 * templates; the check guards hand-edited ones).
 */
export function instantiateCase(template: CaseTemplate, prefix: string): FuzzCase {
  if (!PREFIX.test(prefix)) throw new UsageError(`instantiateCase: prefix "${prefix}" must be "" or 1-40 of [a-z0-9-] starting with a letter or digit`);
  const r = new Renamer(prefix);
  const probes = template.probes.map((p) => renameProbe({ requestor: p.requestor, request: p.request }, r));
  const names = new Set<string>();
  for (const [i, p] of probes.entries()) {
    if (names.has(p.requestor.username)) throw new UsageError(`instantiateCase: probe ${i} reuses requestor ${p.requestor.username}`);
    names.add(p.requestor.username);
    if (!isSafeRequest(p.request.method, p.request.path)) throw new UsageError(`instantiateCase: probe ${i} ${p.request.method} ${p.request.path} is not a dry run`);
    for (const [n, v] of p.request.headers) {
      if (!isHeaderToken(n) || !isSendableValue(v)) throw new UsageError(`instantiateCase: probe ${i} header ${JSON.stringify([n, v])} cannot be sent`);
    }
  }
  return { id: prefix === "" ? "template" : prefix.replace(/-+$/, ""), objects: template.objects.map((m) => renameManifest(m, r)), probes };
}
