export { authorizeRbac, rbacAuthorizer } from "./rbac-authorizer.ts";
export { rbacIndexFor, RbacIndex, type ResolvedBinding } from "./rbac-index.ts";
export { compileRule, compileRole, roleAllows, ruleAllows, rulesAllow, type CompiledRole, type CompiledRule } from "./rule-match.ts";
