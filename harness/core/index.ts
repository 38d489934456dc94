export * from "./user-info.ts";
export * from "./check.ts";
export * from "./request.ts";
export * from "./outcome.ts";
export * from "./rbac-objects.ts";
export * from "./clock.ts";
export * from "./errors.ts";
export * from "./kube-version.ts";
