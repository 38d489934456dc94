/**
 * Whether one PolicyRule allows one check: `RuleAllows` (kubernetes/kubernetes:plugin/pkg/auth/
 * authorizer/rbac/rbac.go) over the matchers of pkg/apis/rbac/v1/evaluation_helpers.go, identical in
 * v1.35.4–v1.37.2. Rules are compiled once into lists of distinct internalized strings (see CompiledRule).
 *
 * Matching, as upstream:
 * - verbs: `*` or the exact verb (`impersonate-on:user-info:*` is a literal, SPEC §3);
 * - apiGroups: `*` or exact; resources: `*`, exact `resource` or `resource/subresource`, or
 *   `*` + `/<subresource>` ("star-slash") when the request has that subresource. `pods/*` is a literal (it matches only a
 *   subresource literally named `*`, e.g. SPEC §4 U4w's `userextras/*`);
 * - resourceNames: empty = any name, otherwise exact; `["*"]` is the literal name `*` (SPEC §16.9);
 * - nonResourceURLs: `*`, exact, or a pattern ending in `*` matching by prefix (all trailing `*`
 *   trimmed, so `/api*` matches `/apis`);
 * - resource checks ignore nonResourceURLs and non-resource checks ignore resources.
 */
import type { CheckAttributes, PolicyRule } from "../../core/index.ts";
import { internalize } from "../internalize.ts";
import { hasString } from "../string-list.ts";

/**
 * A rule's verbs, groups, resources, names and URLs as lists of distinct internalized strings. Lists,
 * not Sets: RBAC tests a check's strings against them several times per check, a rule's lists are short
 * (a handful of entries; bootstrap roles' longest are a few dozen), and a scan comparing internalized
 * strings by identity costs less than a Set probe, which is a builtin call hashing the string each time.
 */
export interface CompiledRule {
  readonly source: PolicyRule;
  readonly anyVerb: boolean;
  readonly verbs: readonly string[];
  readonly anyGroup: boolean;
  readonly groups: readonly string[];
  readonly anyResource: boolean;
  readonly resources: readonly string[];
  /** undefined: the rule names no resources, so every name matches. */
  readonly names: readonly string[] | undefined;
  readonly anyURL: boolean;
  readonly urls: readonly string[];
  readonly urlPrefixes: readonly string[];
}

/** The distinct strings of `xs`, internalized like the request attributes they are matched against. */
const distinct = (xs: readonly string[] | undefined): readonly string[] => [...new Set((xs ?? []).map(internalize))];

export function compileRule(rule: PolicyRule): CompiledRule {
  const verbs = distinct(rule.verbs);
  const groups = distinct(rule.apiGroups);
  const resources = distinct(rule.resources);
  const urls = distinct(rule.nonResourceURLs);
  const urlPrefixes: string[] = [];
  for (const u of urls) if (u.endsWith("*")) urlPrefixes.push(u.replace(/\*+$/, ""));
  return {
    source: rule,
    anyVerb: hasString(verbs, "*"),
    verbs,
    anyGroup: hasString(groups, "*"),
    groups,
    anyResource: hasString(resources, "*"),
    resources,
    names: rule.resourceNames && rule.resourceNames.length > 0 ? distinct(rule.resourceNames) : undefined,
    anyURL: hasString(urls, "*"),
    urls,
    urlPrefixes,
  };
}

type RuleAttributes = Pick<
  CheckAttributes,
  "verb" | "resourceRequest" | "group" | "resource" | "subresource" | "name" | "path"
>;

export function ruleAllows(a: RuleAttributes, r: CompiledRule): boolean {
  if (!r.anyVerb && !hasString(r.verbs, a.verb)) return false;
  if (a.resourceRequest) {
    if (!r.anyGroup && !hasString(r.groups, a.group)) return false;
    if (!r.anyResource) {
      const combined = a.subresource === "" ? a.resource : `${a.resource}/${a.subresource}`;
      if (!resourceMatches(r, combined, a.subresource === "" ? "" : `*/${a.subresource}`)) return false;
    }
    return r.names === undefined || hasString(r.names, a.name);
  }
  if (r.anyURL || hasString(r.urls, a.path)) return true;
  for (const p of r.urlPrefixes) if (a.path.startsWith(p)) return true;
  return false;
}

/**
 * The resource part of RuleAllows: `*`, the exact `resource[/subresource]` (`combined`), or
 * the star-slash `*` + `/subresource` (`starSub`, "" when the check has no subresource).
 */
export function resourceMatches(r: CompiledRule, combined: string, starSub: string): boolean {
  return r.anyResource || hasString(r.resources, combined) || (starSub !== "" && hasString(r.resources, starSub));
}

export function rulesAllow(a: RuleAttributes, rules: readonly CompiledRule[]): boolean {
  for (const r of rules) if (ruleAllows(a, r)) return true;
  return false;
}

/**
 * A role's rules indexed by verb: a check only needs the rules naming its verb or `*`. Which rule of a
 * role allows does not matter (the answer names the binding), so order inside a role is irrelevant.
 */
export interface CompiledRole {
  readonly rules: readonly CompiledRule[];
  readonly byVerb: ReadonlyMap<string, readonly CompiledRule[]>;
  readonly anyVerb: readonly CompiledRule[];
}

export function compileRole(rules: readonly PolicyRule[]): CompiledRole {
  const compiled = rules.map(compileRule);
  const byVerb = new Map<string, CompiledRule[]>();
  const anyVerb: CompiledRule[] = [];
  for (const r of compiled) {
    if (r.anyVerb) {
      anyVerb.push(r);
      continue;
    }
    for (const v of r.verbs) {
      const list = byVerb.get(v);
      if (list) list.push(r);
      else byVerb.set(v, [r]);
    }
  }
  return { rules: compiled, byVerb, anyVerb };
}

export function roleAllows(a: RuleAttributes, role: CompiledRole): boolean {
  const forVerb = role.byVerb.get(a.verb);
  if (forVerb) for (const r of forVerb) if (ruleAllows(a, r)) return true;
  for (const r of role.anyVerb) if (ruleAllows(a, r)) return true;
  return false;
}
