export { adminClient, type AdminClient } from "./admin-client.ts";
export { ApplyError, applyObjects, deleteObjects, ensureNamespaces, type ApplyManifest, type ObjectRef } from "./apply-objects.ts";
export { rbacBarrier } from "./rbac-barrier.ts";
export { readWorld } from "./read-world.ts";
export { extendWorld, removeFromWorld } from "./extend-world.ts";
