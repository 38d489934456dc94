/**
 * The RBAC rules that grant each check of SPEC §4 (@internal): impersonate-on (C1), the identity
 * checks of each constrained mode (U*, S1, N1, N2) and legacy (L*), and the request itself.
 */
import type { ConstrainedMode, PolicyRule } from "../../../core/index.ts";
import type { GrantStyle } from "../../grant-plan.ts";
import type { RequestAttributes } from "../../target-request.ts";
import type { WantedUser } from "../helpers/headers.ts";
import { nodeNameOf, serviceAccountOf } from "../helpers/usernames.ts";
import { AUTHENTICATION_GROUP, GENERIC_USERS, POOL_NAMESPACES, SERVICE_ACCOUNT_NAMES, VALID_NODE_NAMES } from "../vocabulary.ts";

const AUTH = AUTHENTICATION_GROUP;

function named(rule: PolicyRule, names: readonly string[] | undefined): PolicyRule {
  return names && names.length > 0 ? { ...rule, resourceNames: names } : rule;
}

/** Distinct values, or undefined (no resourceNames: match all) when one is "" (RBAC cannot name it). */
export function exactNames(values: readonly string[]): string[] | undefined {
  if (values.length === 0 || values.includes("")) return undefined;
  return [...new Set(values)];
}

export function isPoolNamespace(ns: string): boolean {
  return (POOL_NAMESPACES as readonly string[]).includes(ns);
}

/** Another pool namespace than `ns` (the near miss of a RoleBinding in the wrong place). */
export function otherPoolNamespace(ns: string): string {
  const i = (POOL_NAMESPACES as readonly string[]).indexOf(ns);
  return POOL_NAMESPACES[(i + 1) % POOL_NAMESPACES.length]!;
}

export function combinedResource(a: { resource: string; subresource: string }): string {
  return a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
}

/** A different request verb, for `wrong-verb`. */
export function otherVerb(verb: string): string {
  return verb === "get" ? "list" : "get";
}

export function otherMode(m: ConstrainedMode): ConstrainedMode {
  return m === "user-info" ? "serviceaccount" : "user-info";
}

/** C1: `impersonate-on:<mode>:<verb>` on the request's own resource or path. */
export function impersonateOnRule(mode: string, a: RequestAttributes, style: GrantStyle, verb = a.verb): PolicyRule {
  const exact = `impersonate-on:${mode}:${verb}`;
  const verbs = style.onVerb === "star" ? ["*"] : style.onVerb === "several" ? [`impersonate-on:${mode}:watch`, exact, `impersonate:${mode}`].filter((v, i, all) => all.indexOf(v) === i) : [exact];
  if (!a.resourceRequest) {
    const urls =
      style.nonResource === "star" ? ["*"] : style.nonResource === "prefix" ? [a.path === "/api/v1" ? "/api/*" : `${a.path}*`] : [a.path];
    return { verbs, nonResourceURLs: urls };
  }
  const resources =
    style.onResource === "star" ? ["*"] : style.onResource === "star-sub" && a.subresource ? [`*/${a.subresource}`] : [combinedResource(a)];
  return named(
    { verbs, apiGroups: [style.onApiGroup === "star" ? "*" : a.apiGroup], resources },
    style.onNames === "exact" && a.name ? [a.name] : undefined,
  );
}

export type IdentityVariant = "exact" | "wrong-name" | "missing-piece" | "wildcard-forced";

/** N2: associated-node is always asked with name `*` (SPEC §8), so only `*` or no names match. */
export function associatedNodeRules(wanted: WantedUser, style: GrantStyle, variant: IdentityVariant): PolicyRule[] {
  const base = { verbs: ["impersonate:associated-node"], apiGroups: [AUTH], resources: ["nodes"] };
  if (variant === "wrong-name") return [named(base, [nodeNameOf(wanted.name) ?? VALID_NODE_NAMES[0]])];
  return [named(base, style.identityNames === "none" ? undefined : ["*"])];
}

/** N1: name = the node name. The literal `*` does not match it. */
export function arbitraryNodeRules(wanted: WantedUser, style: GrantStyle, variant: IdentityVariant): PolicyRule[] {
  const node = nodeNameOf(wanted.name) ?? VALID_NODE_NAMES[0];
  const base = { verbs: ["impersonate:arbitrary-node"], apiGroups: [AUTH], resources: ["nodes"] };
  if (variant === "wrong-name") return [named(base, [style.identityNames === "exact" ? (VALID_NODE_NAMES.find((n) => n !== node) ?? "node2") : "*"])];
  return [named(base, style.identityNames === "none" ? undefined : [node])];
}

export function wantedServiceAccount(wanted: WantedUser): { namespace: string; name: string } {
  return serviceAccountOf(wanted.name) ?? { namespace: POOL_NAMESPACES[0], name: SERVICE_ACCOUNT_NAMES[0] };
}

/** S1: in the SA's namespace, name = SA name. */
export function serviceAccountRules(wanted: WantedUser, style: GrantStyle, variant: IdentityVariant): PolicyRule[] {
  const sa = wantedServiceAccount(wanted);
  const base = { verbs: ["impersonate:serviceaccount"], apiGroups: [AUTH], resources: ["serviceaccounts"] };
  if (variant === "wrong-name") return [named(base, [SERVICE_ACCOUNT_NAMES.find((n) => n !== sa.name)!])];
  return [named(base, style.identityNames === "none" ? undefined : [sa.name])];
}

function otherUser(name: string): string {
  return GENERIC_USERS.find((u) => u !== name && u !== "*")!;
}

function totalValues(wanted: WantedUser): number {
  return wanted.extra.reduce((n, [, v]) => n + v.length, 0);
}

/** Whether the ≥4 wildcard checks (U3w, U4w) are made for this wanted user. */
export function wildcardApplies(wanted: WantedUser): { groups: boolean; extras: boolean } {
  return { groups: wanted.groups.length >= 4, extras: wanted.extra.length >= 4 || totalValues(wanted) >= 4 };
}

/** Which optional pieces a wanted user has (uid, groups, extras): what `missing-piece` can drop. */
export function hasPieces(wanted: WantedUser): boolean {
  return wanted.uid !== "" || wanted.groups.length > 0 || wanted.extra.length > 0;
}

/**
 * The identity rules of user-info (U1–U4) or legacy (L1–L4), all cluster-scoped except legacy's SA
 * rule (returned apart: it is granted in the SA's namespace or cluster-wide).
 */
export function identityRules(
  flavour: "user-info" | "legacy",
  wanted: WantedUser,
  style: GrantStyle,
  variant: IdentityVariant,
): { rules: PolicyRule[]; serviceAccountRule?: PolicyRule } {
  const legacy = flavour === "legacy";
  const verb = legacy ? "impersonate" : "impersonate:user-info";
  const userGroup = legacy ? "" : AUTH;
  const names = (values: readonly string[]) => (style.identityNames === "none" ? undefined : exactNames(values));
  const wild = wildcardApplies(wanted);
  const useWildcard = (applies: boolean) => !legacy && (variant === "wildcard-forced" || (style.identityNames === "wildcard" && applies));
  const rules: PolicyRule[] = [];
  let serviceAccountRule: PolicyRule | undefined;
  const sa = legacy ? serviceAccountOf(wanted.name) : undefined;
  if (sa) {
    serviceAccountRule = named(
      { verbs: [verb], apiGroups: [""], resources: ["serviceaccounts"] },
      variant === "wrong-name" ? [SERVICE_ACCOUNT_NAMES.find((n) => n !== sa.name)!] : names([sa.name]),
    );
  } else {
    rules.push(named({ verbs: [verb], apiGroups: [userGroup], resources: ["users"] }, variant === "wrong-name" ? [otherUser(wanted.name)] : names([wanted.name])));
  }
  // missing-piece drops the first optional piece present: uid, else the last group, else the last extra key.
  let drop: "uid" | "group" | "extra" | undefined;
  if (variant === "missing-piece") drop = wanted.uid ? "uid" : wanted.groups.length ? "group" : wanted.extra.length ? "extra" : undefined;
  if (wanted.uid && drop !== "uid") rules.push(named({ verbs: [verb], apiGroups: [AUTH], resources: ["uids"] }, names([wanted.uid])));
  if (wanted.groups.length) {
    const rule = { verbs: [verb], apiGroups: [userGroup], resources: ["groups"] };
    if (drop === "group") {
      const last = wanted.groups[wanted.groups.length - 1];
      const rest = [...new Set(wanted.groups.filter((g) => g !== last && g !== ""))];
      if (rest.length) rules.push(named(rule, rest));
    } else if (useWildcard(wild.groups)) rules.push(named(rule, ["*"]));
    else rules.push(named(rule, names(wanted.groups)));
  }
  if (wanted.extra.length) {
    if (drop !== "extra" && useWildcard(wild.extras)) {
      rules.push({ verbs: [verb], apiGroups: [AUTH], resources: ["userextras/*"], resourceNames: ["*"] });
    } else {
      for (const [key, values] of drop === "extra" ? wanted.extra.slice(0, -1) : wanted.extra) {
        rules.push(named({ verbs: [verb], apiGroups: [AUTH], resources: [key ? `userextras/${key}` : "userextras"] }, names(values)));
      }
    }
  }
  return serviceAccountRule ? { rules, serviceAccountRule } : { rules };
}

/** The request itself for the impersonated identity (or the requestor): verb as the plan says. */
export function requestRule(a: RequestAttributes, verbs: "exact" | "read" | "star"): PolicyRule {
  const v = verbs === "star" ? ["*"] : verbs === "read" ? ["get", "list", "watch"] : [a.verb];
  if (!a.resourceRequest) return { verbs: verbs === "star" ? ["*"] : ["get"], nonResourceURLs: [a.path] };
  return { verbs: v, apiGroups: [a.apiGroup], resources: [combinedResource(a)] };
}
