export { nodeAuthorizer, nodeIdentity, type NodeAuthorizerOptions } from "./node-authorizer.ts";
export { nodeFeatureGates, NODE_FEATURE_GATES, type NodeFeatureGate, type NodeFeatureGates } from "./features.ts";
export { nodeGraphFor, NodeGraph, type ReferenceKind } from "./node-graph.ts";
export { nodeRules } from "./node-rules.ts";
