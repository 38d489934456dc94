export { adminClient, type AdminClient } from "./admin-client.ts";
export { applyObjects, deleteObjects, ensureNamespaces, type ObjectRef } from "./apply-objects.ts";
export { rbacBarrier } from "./rbac-barrier.ts";
export { readWorld } from "./read-world.ts";
export { extendWorld, removeFromWorld } from "./extend-world.ts";
