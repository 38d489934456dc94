/** `allImpersonationModes` in upstream order: the fixed try order of SPEC §6/§7. Order is data. */
import { arbitraryNodeImpersonationMode } from "./arbitrary-node.ts";
import { associatedNodeImpersonationMode } from "./associated-node.ts";
import { legacyImpersonationMode } from "./legacy.ts";
import type { ImpersonationMode } from "./mode.ts";
import { serviceAccountImpersonationMode } from "./service-account.ts";
import { userInfoImpersonationMode } from "./user-info.ts";

export const allModes: readonly ImpersonationMode[] = [
  associatedNodeImpersonationMode(0),
  arbitraryNodeImpersonationMode(1),
  serviceAccountImpersonationMode(2),
  userInfoImpersonationMode(3),
  legacyImpersonationMode(4),
];

export type { ImpersonationMode } from "./mode.ts";
export { isNodeUsername, isServiceAccountUsername, onlyUsernameSet } from "./mode.ts";
