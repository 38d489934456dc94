import fc from "fast-check";
import type { PolicyRule } from "../core/index.ts";
import { CONSTRAINED_MODES } from "../core/index.ts";
import { AUTHENTICATION_GROUP, GENERIC_USERS, REQUEST_VERBS, SERVICE_ACCOUNT_NAMES, TARGET_LOCAL_GROUPS, VALID_NODE_NAMES } from "./_internals/vocabulary.ts";

/** `impersonate:<mode>` for the four constrained modes (SPEC §3). */
export const IDENTITY_VERBS = CONSTRAINED_MODES.map((m) => `impersonate:${m}`);
/** `impersonate-on:<mode>:<verb>` for every mode and request verb. */
export const IMPERSONATE_ON_VERBS = CONSTRAINED_MODES.flatMap((m) => REQUEST_VERBS.map((v) => `impersonate-on:${m}:${v}`));

/** Plain verbs first (the shrink target), then `*`, legacy, the new verbs, and a literal that matches nothing. */
const VERB_ARB = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constantFrom("get", "list", "create"), weight: 2 },
  { arbitrary: fc.constant("*"), weight: 1 },
  { arbitrary: fc.constant("impersonate"), weight: 2 },
  { arbitrary: fc.constantFrom(...IDENTITY_VERBS), weight: 3 },
  { arbitrary: fc.constantFrom(...IMPERSONATE_ON_VERBS), weight: 4 },
  { arbitrary: fc.constant("impersonate-on:user-info:*"), weight: 1 },
);

export const RULE_API_GROUPS = [AUTHENTICATION_GROUP, "", "apps", "*"] as const;

export const RULE_RESOURCES = [
  "users",
  "uids",
  "groups",
  "userextras",
  "userextras/example.com/scopes",
  "userextras/*",
  "*/example.com/scopes",
  "*/status",
  "serviceaccounts",
  "nodes",
  "pods",
  "pods/status",
  "pods/log",
  "deployments",
  "secrets",
  "selfsubjectreviews",
  "*",
] as const;

/** Names a rule may be cut to: the literal `*` (matches only the wildcard checks' name), targets, nodes, SAs. */
export const RULE_RESOURCE_NAMES = ["*", ...GENERIC_USERS.filter((u) => u !== "*"), ...VALID_NODE_NAMES, ...SERVICE_ACCOUNT_NAMES, "uid-1", "viewers", ...TARGET_LOCAL_GROUPS, "scope-a", "foo"] as const;

export const RULE_NON_RESOURCE_URLS = ["/healthz", "/version", "/api", "/api/*", "/apis", "*"] as const;

export interface PolicyRuleConstraints {
  /**
   * A Role's rule: never `nonResourceURLs` (the API rejects them in Roles).
   * @defaultValue false
   */
  readonly namespaced?: boolean;
  /** @defaultValue 3 */
  readonly maxVerbs?: number;
}

/**
 * One RBAC rule over the vocabulary that matters for constrained impersonation (SPEC §3–§4):
 * `impersonate:<mode>`, `impersonate-on:<mode>:<verb>`, legacy `impersonate`, `*`, plain verbs;
 * the impersonation resources incl. `userextras/*` and the star-slash-subresource form; literal `"*"` names; and
 * non-resource URLs. Always valid for the API (verbs, apiGroups and resources non-empty, no mix of
 * resource and non-resource fields).
 */
export function policyRule(constraints: PolicyRuleConstraints = {}): fc.Arbitrary<PolicyRule> {
  const maxVerbs = constraints.maxVerbs ?? 3;
  if (!(Number.isInteger(maxVerbs) && maxVerbs >= 1)) throw new RangeError(`policyRule: maxVerbs must be an integer >= 1, got ${maxVerbs}`);
  const verbs = fc.uniqueArray(VERB_ARB, { minLength: 1, maxLength: maxVerbs });
  const resourceRule = fc
    .record({
      verbs,
      apiGroups: fc.uniqueArray(fc.constantFrom(...RULE_API_GROUPS), { minLength: 1, maxLength: 2 }),
      resources: fc.uniqueArray(fc.constantFrom(...RULE_RESOURCES), { minLength: 1, maxLength: 3 }),
      resourceNames: fc.oneof(
        { withCrossShrink: true },
        { arbitrary: fc.constant<string[]>([]), weight: 3 },
        { arbitrary: fc.uniqueArray(fc.constantFrom(...RULE_RESOURCE_NAMES), { minLength: 1, maxLength: 3 }), weight: 2 },
      ),
    })
    .map(({ resourceNames, ...r }): PolicyRule => (resourceNames.length ? { ...r, resourceNames } : r));
  if (constraints.namespaced) return resourceRule;
  const nonResourceRule = fc
    .record({ verbs, nonResourceURLs: fc.uniqueArray(fc.constantFrom(...RULE_NON_RESOURCE_URLS), { minLength: 1, maxLength: 2 }) })
    .map((r): PolicyRule => r);
  return fc.oneof({ withCrossShrink: true }, { arbitrary: resourceRule, weight: 4 }, { arbitrary: nonResourceRule, weight: 1 });
}
