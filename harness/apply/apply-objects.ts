import { type KubernetesObject, PatchStrategy } from "@kubernetes/client-node";
import type { StartedCluster } from "../cluster/provider.ts";
import { adminClient } from "./admin-client.ts";

export const FIELD_MANAGER = "impfuzz";

/**
 * Server-side applies manifests as the admin, in order, creating any namespace they use first.
 * Apply (not create) so a scenario step can re-state an object to change it, like `kubectl apply`.
 */
export async function applyObjects(cluster: StartedCluster, objects: readonly KubernetesObject[]): Promise<void> {
  const { objects: api } = adminClient(cluster);
  const namespaces = new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n));
  await ensureNamespaces(cluster, namespaces);
  for (const o of objects) {
    await api.patch(o, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
  }
}

const knownNamespaces = new WeakMap<StartedCluster, Set<string>>();

export async function ensureNamespaces(cluster: StartedCluster, namespaces: Iterable<string>): Promise<void> {
  let known = knownNamespaces.get(cluster);
  if (!known) knownNamespaces.set(cluster, (known = new Set(["default", "kube-system", "kube-public", "kube-node-lease"])));
  const { objects: api } = adminClient(cluster);
  for (const ns of namespaces) {
    if (known.has(ns)) continue;
    await api.patch(
      { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } },
      undefined,
      undefined,
      FIELD_MANAGER,
      true,
      PatchStrategy.ServerSideApply,
    );
    known.add(ns);
  }
}

export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** Deletes objects; one already gone is not an error (a revoke of what is not there changes nothing). */
export async function deleteObjects(cluster: StartedCluster, refs: readonly ObjectRef[]): Promise<void> {
  const { objects: api } = adminClient(cluster);
  for (const r of refs) {
    try {
      await api.delete({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace: r.namespace } });
    } catch (e) {
      if ((e as { code?: number }).code !== 404) throw e;
    }
  }
}
