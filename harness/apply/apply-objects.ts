import { type KubernetesObject, PatchStrategy } from "@kubernetes/client-node";
import type { StartedCluster } from "../cluster/provider.ts";
import { adminClient } from "./admin-client.ts";

export const FIELD_MANAGER = "impfuzz";

/**
 * Kinds that live outside namespaces. A manifest may still carry `metadata.namespace` (kubectl
 * ignores it for these; one published docs example has it), so it is dropped before the request.
 */
const CLUSTER_SCOPED = new Set(["ClusterRole", "ClusterRoleBinding", "Namespace", "Node", "PersistentVolume", "StorageClass", "CertificateSigningRequest"]);

export function withoutClusterNamespace<T extends KubernetesObject>(o: T): T {
  if (!o.kind || !CLUSTER_SCOPED.has(o.kind) || !o.metadata?.namespace) return o;
  const { namespace: _ignored, ...metadata } = o.metadata;
  return { ...o, metadata };
}

/** Admin writes in flight at once: enough to hide round trips, few enough not to swamp 2 cores. */
const WRITE_CONCURRENCY = 16;

async function forEachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
}

/**
 * Server-side applies manifests as the admin, creating any namespace they use first. Apply (not
 * create) so a scenario step can re-state an object to change it, like `kubectl apply`. Namespace
 * manifests go first; the rest are applied concurrently, since RBAC objects may name each other in
 * any order (a binding to a not-yet-existing role is valid).
 */
export async function applyObjects(cluster: StartedCluster, objects: readonly KubernetesObject[]): Promise<void> {
  const { objects: api } = adminClient(cluster);
  objects = objects.map(withoutClusterNamespace);
  const namespaces = new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n));
  for (const o of objects) if (o.kind === "Namespace" && o.metadata?.name) namespaces.add(o.metadata.name);
  await ensureNamespaces(cluster, namespaces);
  await forEachLimited(
    objects.filter((o) => o.kind !== "Namespace"),
    async (o) => {
      await api.patch(o, undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
    },
  );
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

/**
 * Deletes objects concurrently; one already gone is not an error (a revoke of what is not there
 * changes nothing). Namespaces are kept: with no controller-manager a deleted namespace stays
 * Terminating for ever and would block every later write into it.
 */
export async function deleteObjects(cluster: StartedCluster, refs: readonly ObjectRef[]): Promise<void> {
  const { objects: api } = adminClient(cluster);
  await forEachLimited(
    refs.filter((r) => r.kind !== "Namespace"),
    async (r) => {
      const namespace = CLUSTER_SCOPED.has(r.kind) ? undefined : r.namespace;
      try {
        await api.delete({ apiVersion: r.apiVersion, kind: r.kind, metadata: { name: r.name, namespace } });
      } catch (e) {
        if ((e as { code?: number }).code !== 404) throw e;
      }
    },
  );
}
