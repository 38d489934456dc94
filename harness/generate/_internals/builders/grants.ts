/**
 * One probe's grants (@internal): what its intended mode needs (SPEC §4), all of it, all but one
 * piece, or nothing; optionally legacy as a fallback; and the request itself for whoever the
 * request will run as. Everything a ClusterRoleBinding names is case-local (the probe's requestor,
 * its `rg-*` groups, `tg-*` groups, service accounts of pool namespaces), so grants never leak into
 * other cases sharing the server; bindings naming impersonation targets live in pool namespaces.
 */
import type { ConstrainedMode, Subject } from "../../../core/index.ts";
import type { GrantPlan, PartialKind } from "../../grant-plan.ts";
import type { RequestAttributes } from "../../target-request.ts";
import type { WantedUser } from "../helpers/headers.ts";
import { nodeNameOf, SA_GROUP_PREFIX, serviceAccountOf } from "../helpers/usernames.ts";
import { REQUESTOR_NAME_PATTERN, TARGET_LOCAL_GROUPS } from "../vocabulary.ts";
import {
  arbitraryNodeRules,
  associatedNodeRules,
  hasPieces,
  identityRules,
  type IdentityVariant,
  impersonateOnRule,
  isPoolNamespace,
  otherMode,
  otherPoolNamespace,
  otherVerb,
  requestRule,
  serviceAccountRules,
  wantedServiceAccount,
  wildcardApplies,
} from "./rules.ts";
import { CLUSTER, type GrantScope, groupSubject, serviceAccountSubject, userSubject, type WorldDraft } from "./world-draft.ts";

/** Whose permissions a probe's grants are cut for: a constrained mode, legacy, or no impersonation. */
export type GrantMode = ConstrainedMode | "legacy" | "none";

export interface GrantContext {
  readonly mode: GrantMode;
  readonly wanted: WantedUser;
  readonly attributes: RequestAttributes;
  readonly plan: GrantPlan;
  /** The requestor as the plan's subject style names it. */
  readonly subjects: readonly Subject[];
  /** The requestor itself (final grant without impersonation). */
  readonly self: readonly Subject[];
  readonly draft: WorldDraft;
}

export interface GrantSummary {
  /** The near miss actually built, for `partial` plans. */
  readonly partial?: PartialKind;
  /** Whether the request itself was granted to the identity it will run as. */
  readonly finalGranted: boolean;
}

/** A partial kind that means nothing for a mode (or this wanted user) is read as the nearest that does. */
export function effectivePartial(mode: GrantMode, kind: PartialKind, wanted: WantedUser): PartialKind {
  if (mode === "none") return kind;
  if (mode === "legacy") {
    const k: PartialKind =
      kind === "impersonate-on-only" || kind === "wrong-verb" ? "wrong-mode" : kind === "identity-only" ? "missing-piece" : kind === "wildcard-too-few" ? "wrong-name" : kind;
    return k === "missing-piece" && !hasPieces(wanted) ? "wrong-name" : k;
  }
  let k = kind;
  if (k === "wildcard-too-few") {
    const w = wildcardApplies(wanted);
    const few = (wanted.groups.length > 0 && !w.groups) || (wanted.extra.length > 0 && !w.extras);
    k = mode === "user-info" && few ? k : "wrong-name";
  }
  if (k === "missing-piece") k = mode === "user-info" && hasPieces(wanted) ? k : mode === "user-info" ? "wrong-name" : "identity-only";
  if (k === "other-mode" && mode !== "associated-node" && mode !== "arbitrary-node" && mode !== "serviceaccount") k = "wrong-mode";
  return k;
}

function onScope(a: RequestAttributes, binding: GrantPlan["style"]["onBinding"]): GrantScope {
  if (!a.resourceRequest || a.namespace === "" || !isPoolNamespace(a.namespace) || binding === "clusterrolebinding") return CLUSTER;
  return { kind: "namespace", namespace: a.namespace, roleKind: binding === "rolebinding-role" ? "Role" : "ClusterRole" };
}

function serviceAccountScope(ns: string, binding: GrantPlan["style"]["identityBinding"]): GrantScope {
  if (binding === "clusterrolebinding" || !isPoolNamespace(ns)) return CLUSTER;
  return { kind: "namespace", namespace: ns, roleKind: binding === "rolebinding-role" ? "Role" : "ClusterRole" };
}

function constrainedIdentity(m: ConstrainedMode, ctx: GrantContext, variant: IdentityVariant, scopeOverride?: GrantScope, missingRole = false): void {
  const { wanted, plan, draft, subjects } = ctx;
  const style = plan.style;
  const options = { missingRole };
  switch (m) {
    case "associated-node":
      return draft.grant("id", scopeOverride ?? CLUSTER, associatedNodeRules(wanted, style, variant), subjects, options);
    case "arbitrary-node":
      return draft.grant("id", scopeOverride ?? CLUSTER, arbitraryNodeRules(wanted, style, variant), subjects, options);
    case "serviceaccount": {
      const sa = wantedServiceAccount(wanted);
      return draft.grant("id", scopeOverride ?? serviceAccountScope(sa.namespace, style.identityBinding), serviceAccountRules(wanted, style, variant), subjects, options);
    }
    case "user-info":
      return draft.grant("id", scopeOverride ?? CLUSTER, identityRules("user-info", wanted, style, variant).rules, subjects, options);
  }
}

function constrainedGrants(m: ConstrainedMode, ctx: GrantContext, kind: PartialKind | "full"): void {
  const { attributes: a, plan, draft, subjects } = ctx;
  const on = (verb = a.verb, mode: string = m, scope = onScope(a, plan.style.onBinding)) =>
    draft.grant("on", scope, [impersonateOnRule(mode, a, plan.style, verb)], subjects);
  switch (kind) {
    case "full":
      on();
      return constrainedIdentity(m, ctx, "exact");
    case "impersonate-on-only":
      return on();
    case "identity-only":
      return constrainedIdentity(m, ctx, "exact");
    case "wrong-verb":
      on(otherVerb(a.verb));
      return constrainedIdentity(m, ctx, "exact");
    case "wrong-mode":
      on(a.verb, otherMode(m));
      return constrainedIdentity(m, ctx, "exact");
    case "wrong-namespace": {
      const nsOfCheck = m === "serviceaccount" ? wantedServiceAccount(ctx.wanted).namespace : a.namespace;
      if (m === "serviceaccount" && isPoolNamespace(nsOfCheck)) {
        on();
        return constrainedIdentity(m, ctx, "exact", { kind: "namespace", namespace: otherPoolNamespace(nsOfCheck), roleKind: "Role" });
      }
      if (a.resourceRequest && a.namespace !== "") {
        on(a.verb, m, { kind: "namespace", namespace: otherPoolNamespace(a.namespace), roleKind: "ClusterRole" });
        return constrainedIdentity(m, ctx, "exact");
      }
      // cluster-scoped checks granted through a RoleBinding: RBAC never consults it (SPEC §4 notes)
      on();
      return constrainedIdentity(m, ctx, "exact", { kind: "namespace", namespace: otherPoolNamespace(""), roleKind: "ClusterRole" });
    }
    case "wrong-name":
      on();
      return constrainedIdentity(m, ctx, "wrong-name");
    case "missing-piece":
      on();
      return constrainedIdentity(m, ctx, "missing-piece");
    case "missing-role":
      on();
      return constrainedIdentity(m, ctx, "exact", undefined, true);
    case "wildcard-too-few":
      on();
      return constrainedIdentity(m, ctx, "wildcard-forced");
    case "other-mode": {
      const neighbour: ConstrainedMode = m === "associated-node" ? "arbitrary-node" : m === "arbitrary-node" ? "associated-node" : "user-info";
      return constrainedGrants(neighbour, ctx, "full");
    }
  }
}

function legacyGrants(ctx: GrantContext, kind: PartialKind | "full"): void {
  const { wanted, plan, draft, subjects } = ctx;
  if (kind === "other-mode") return constrainedGrants("user-info", ctx, "full");
  const variant: IdentityVariant = kind === "wrong-name" ? "wrong-name" : kind === "missing-piece" ? "missing-piece" : "exact";
  const built = identityRules("legacy", wanted, plan.style, variant);
  const retarget = (rules: typeof built.rules) =>
    kind === "wrong-mode" ? rules.map((r) => ({ ...r, verbs: ["impersonate:user-info"] })) : rules;
  const missingRole = kind === "missing-role";
  const sa = serviceAccountOf(wanted.name);
  if (built.serviceAccountRule && sa) {
    let scope = serviceAccountScope(sa.namespace, plan.style.identityBinding);
    if (kind === "wrong-namespace" && isPoolNamespace(sa.namespace)) scope = { kind: "namespace", namespace: otherPoolNamespace(sa.namespace), roleKind: "Role" };
    // The bootstrap `edit` role grants legacy impersonation of the namespace's SAs (SPEC §12).
    const viaEdit = kind === "full" && scope.kind === "namespace" && scope.roleKind === "ClusterRole";
    if (viaEdit) draft.grant("legacy-sa", scope, [], subjects, { bootstrapRole: "edit" });
    else draft.grant("legacy-sa", scope, retarget([built.serviceAccountRule]), subjects, { missingRole });
  }
  const scope: GrantScope = kind === "wrong-namespace" && !sa ? { kind: "namespace", namespace: otherPoolNamespace(""), roleKind: "ClusterRole" } : CLUSTER;
  draft.grant("legacy", scope, retarget(built.rules), subjects, { missingRole });
}

function isLocalSubject(s: Subject): boolean {
  if (s.kind === "ServiceAccount") return isPoolNamespace(s.namespace ?? "");
  if (s.kind === "Group") return (TARGET_LOCAL_GROUPS as readonly string[]).includes(s.name) || (s.name.startsWith(SA_GROUP_PREFIX) && isPoolNamespace(s.name.slice(SA_GROUP_PREFIX.length)));
  // a requestor name, bare or inside an SA-looking name; or a valid SA of a pool namespace
  if (s.name.split(":").some((seg) => REQUESTOR_NAME_PATTERN.test(seg))) return true;
  const sa = serviceAccountOf(s.name);
  return sa !== undefined && isPoolNamespace(sa.namespace);
}

/** Subjects for the identity the request will run as, in the plan's preference order. */
function finalSubjects(ctx: GrantContext): Subject[] {
  const { mode, wanted, plan } = ctx;
  if (mode === "none") return [...ctx.self];
  const preferGroup = plan.finalSubject === "group";
  const node = nodeNameOf(wanted.name);
  const sa = serviceAccountOf(wanted.name);
  const user: Subject[] = [];
  const group: Subject[] = [];
  if ((mode === "associated-node" || mode === "arbitrary-node") && node) {
    user.push(userSubject(wanted.name));
    group.push(groupSubject("system:nodes"));
  } else if (mode === "serviceaccount" && sa) {
    user.push(serviceAccountSubject(sa.namespace, sa.name));
    group.push(groupSubject(`${SA_GROUP_PREFIX}${sa.namespace}`));
  } else if (wanted.name !== "") {
    user.push(sa && wanted.groups.length === 0 ? serviceAccountSubject(sa.namespace, sa.name) : userSubject(wanted.name));
    const local = wanted.groups.find((g) => (TARGET_LOCAL_GROUPS as readonly string[]).includes(g));
    const plain = wanted.groups.find((g) => g !== "" && g !== "system:masters");
    if (local ?? plain) group.push(groupSubject((local ?? plain)!));
  }
  return preferGroup ? [...group, ...user] : [...user, ...group];
}

function finalGrant(ctx: GrantContext): boolean {
  const a = ctx.attributes;
  const candidates = finalSubjects(ctx);
  const namespaced = a.resourceRequest && a.namespace !== "";
  if (namespaced) {
    if (!isPoolNamespace(a.namespace) || candidates.length === 0) return false;
    ctx.draft.grant("final", { kind: "namespace", namespace: a.namespace, roleKind: "Role" }, [requestRule(a, ctx.plan.finalVerbs)], [candidates[0]!]);
    return true;
  }
  // Cluster-wide grants only to case-local names, so other cases never see them.
  const local = candidates.find(isLocalSubject);
  if (!local) return false;
  ctx.draft.grant("final", CLUSTER, [requestRule(a, ctx.plan.finalVerbs)], [local]);
  return true;
}

/** Builds a probe's grants into `ctx.draft`. */
export function buildGrants(ctx: GrantContext): GrantSummary {
  const { mode, plan, wanted } = ctx;
  let partial: PartialKind | undefined;
  if (mode !== "none" && plan.completeness !== "none") {
    const kind = plan.completeness === "full" ? "full" : (partial = effectivePartial(mode, plan.partial, wanted));
    if (mode === "legacy") legacyGrants(ctx, kind);
    else constrainedGrants(mode, ctx, kind);
  }
  if (plan.alsoLegacy && mode !== "legacy" && mode !== "none") legacyGrants(ctx, "full");
  const finalGranted = plan.finalGrant ? finalGrant(ctx) : false;
  return partial === undefined ? { finalGranted } : { partial, finalGranted };
}
