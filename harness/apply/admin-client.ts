import { readFileSync } from "node:fs";
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  RbacAuthorizationV1Api,
} from "@kubernetes/client-node";
import type { StartedCluster } from "../cluster/provider.ts";

/** The cluster admin's typed clients (system:masters: its own checks never reach the recorder). */
export interface AdminClient {
  readonly objects: KubernetesObjectApi;
  readonly rbac: RbacAuthorizationV1Api;
  readonly authz: AuthorizationV1Api;
  readonly core: CoreV1Api;
}

const clients = new WeakMap<StartedCluster, AdminClient>();

export function adminClient(cluster: StartedCluster): AdminClient {
  let c = clients.get(cluster);
  if (!c) {
    const kc = new KubeConfig();
    kc.loadFromString(readFileSync(cluster.adminKubeconfigPath, "utf8"));
    c = {
      objects: KubernetesObjectApi.makeApiClient(kc),
      rbac: kc.makeApiClient(RbacAuthorizationV1Api),
      authz: kc.makeApiClient(AuthorizationV1Api),
      core: kc.makeApiClient(CoreV1Api),
    };
    clients.set(cluster, c);
  }
  return c;
}
