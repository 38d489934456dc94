export {
  buildAuthorizerChain,
  authorizerChainFor,
  privilegedGroupsAuthorizer,
  recordingWebhookAuthorizer,
  DEFAULT_AUTHORIZER_NAMES,
  PRIVILEGED_GROUPS_AUTHORIZER_NAME,
  type AuthorizerChainOptions,
  type AuthorizerNames,
} from "./chain.ts";
export { unionAuthorize, type NamedAuthorizer } from "./union.ts";
export { aggregateErrorText } from "./aggregate.ts";
export { attributesFor } from "../attribution/request-info.ts";
export { rbacAuthorizer, authorizeRbac, rbacIndexFor } from "../rbac/index.ts";
export { nodeAuthorizer, nodeFeatureGates, type NodeAuthorizerOptions, type NodeFeatureGate } from "../node/index.ts";
