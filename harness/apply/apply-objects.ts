import type { StartedCluster } from "../cluster/provider.ts";
import { ImpfuzzError } from "../core/index.ts";
import { isClusterScoped, resourcePath } from "./resource-paths.ts";

export const FIELD_MANAGER = "impfuzz";

/** The manifest fields apply and delete need; scenario and generated manifests both fit. */
export interface ApplyManifest {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly [field: string]: unknown;
}

/** Admin writes in flight at once: enough to hide round trips without queueing the apiserver. */
const WRITE_CONCURRENCY = 32;

async function forEachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, items.length) }, worker));
}

/**
 * A manifest may carry `metadata.namespace` on a cluster-scoped kind (kubectl ignores it; one
 * published docs example has it): it is dropped before the request.
 */
export function withoutClusterNamespace<T extends ApplyManifest>(o: T): T {
  if (!o.apiVersion || !o.kind || !isClusterScoped(o.apiVersion, o.kind) || !o.metadata?.namespace) return o;
  const { namespace: _ignored, ...metadata } = o.metadata;
  return { ...o, metadata };
}

export class ApplyError extends ImpfuzzError {
  constructor(message: string) {
    super("E_APPLY", message, { exitCode: 3 });
  }
}

async function serverSideApply(cluster: StartedCluster, o: ApplyManifest): Promise<void> {
  const apiVersion = o.apiVersion ?? "";
  const kind = o.kind ?? "";
  const name = o.metadata?.name ?? "";
  const path = `${resourcePath(apiVersion, kind, o.metadata?.namespace, name)}?fieldManager=${FIELD_MANAGER}&force=true`;
  // Server-side apply: JSON is YAML, so the manifest goes as is; re-applying changes an object like `kubectl apply`.
  const res = await cluster.api.send(cluster.adminToken, {
    method: "PATCH",
    path,
    headers: [["Content-Type", "application/apply-patch+yaml"]],
    body: o,
  });
  if (res.status !== 200 && res.status !== 201) {
    throw new ApplyError(`applying ${kind} ${o.metadata?.namespace ? `${o.metadata.namespace}/` : ""}${name} failed: ${res.status} ${(res.json as { message?: string } | undefined)?.message ?? res.text}`);
  }
}

const knownNamespaces = new WeakMap<StartedCluster, Set<string>>();

export async function ensureNamespaces(cluster: StartedCluster, namespaces: Iterable<string>): Promise<void> {
  let known = knownNamespaces.get(cluster);
  if (!known) knownNamespaces.set(cluster, (known = new Set(["default", "kube-system", "kube-public", "kube-node-lease"])));
  const missing = [...new Set(namespaces)].filter((ns) => !known.has(ns));
  await forEachLimited(missing, async (ns) => {
    await serverSideApply(cluster, { apiVersion: "v1", kind: "Namespace", metadata: { name: ns } });
    known.add(ns);
  });
}

/**
 * Server-side applies manifests as the admin, creating any namespace they use first. The rest go
 * concurrently, since RBAC objects may name each other in any order (a binding to a not-yet-existing
 * role is valid).
 */
export async function applyObjects(cluster: StartedCluster, manifests: readonly ApplyManifest[]): Promise<void> {
  const objects = manifests.map(withoutClusterNamespace);
  const namespaces = new Set(objects.map((o) => o.metadata?.namespace).filter((n): n is string => !!n));
  for (const o of objects) if (o.kind === "Namespace" && o.metadata?.name) namespaces.add(o.metadata.name);
  await ensureNamespaces(cluster, namespaces);
  await forEachLimited(
    objects.filter((o) => o.kind !== "Namespace"),
    (o) => serverSideApply(cluster, o),
  );
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
  await forEachLimited(
    refs.filter((r) => r.kind !== "Namespace"),
    async (r) => {
      const namespace = isClusterScoped(r.apiVersion, r.kind) ? undefined : r.namespace;
      const res = await cluster.api.send(cluster.adminToken, { method: "DELETE", path: resourcePath(r.apiVersion, r.kind, namespace, r.name), headers: [] });
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) {
        throw new ApplyError(`deleting ${r.kind} ${namespace ? `${namespace}/` : ""}${r.name} failed: ${res.status} ${res.text}`);
      }
    },
  );
}
