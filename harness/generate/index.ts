/**
 * Case generation (harness/generate): fast-check arbitraries that build RBAC worlds, requestors and
 * impersonating requests with local names, and `instantiateCase`, which prefixes those names for one
 * execution. Only core/ is imported; the runner connects this stage to the others.
 */
export { fuzzCaseArb, type CaseTemplate, type FuzzCaseConstraints, type ProbeIntent, type TemplateProbe } from "./fuzz-case.ts";
export { instantiateCase, isSafeRequest } from "./instantiate-case.ts";
export { probePlan, INTENDED_MODES, DEFAULT_MODE_WEIGHTS, type IntendedMode, type ProbePlan, type ProbePlanConstraints, type GrantMode } from "./probe-plan.ts";
export { grantPlan, GRANT_COMPLETENESS, PARTIAL_KINDS, type GrantCompleteness, type GrantPlan, type GrantPlanConstraints, type GrantStyle, type PartialKind } from "./grant-plan.ts";
export { rbacWorld, type RbacWorldConstraints } from "./rbac-world.ts";
export { policyRule, IDENTITY_VERBS, IMPERSONATE_ON_VERBS, type PolicyRuleConstraints } from "./policy-rule.ts";
export { targetRequest, hasDryRunAll, TARGET_KINDS, NON_RESOURCE_PATHS, type RequestAttributes, type TargetKind, type TargetRequest, type TargetRequestConstraints } from "./target-request.ts";
export { impersonationHeaders, type HeaderList, type ImpersonationHeadersConstraints } from "./impersonation-headers.ts";
export { requestor, REQUESTOR_KINDS, type RequestorKind, type RequestorSpec, type RequestorConstraints } from "./requestor.ts";
export { wantedUser, WANTED_USER_CLASSES, type WantedUserClass, type WantedUserConstraints } from "./wanted-user.ts";
export { extraKey, VALID_EXTRA_KEY_SUFFIXES, INVALID_EXTRA_KEY_SUFFIXES, type ExtraKeyConstraints } from "./extra-key.ts";
export { serviceAccountName, type ServiceAccountNameConstraints } from "./service-account-name.ts";
export { nodeName, type NodeNameConstraints } from "./node-name.ts";
export { namespaceName, type NamespaceNameConstraints } from "./namespace-name.ts";
