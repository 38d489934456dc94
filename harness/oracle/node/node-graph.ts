/**
 * The part of the Node authorizer's graph a World can express: pods and what they reference
 * (kubernetes/kubernetes:plugin/pkg/auth/authorizer/node/graph.go `AddPod`, graph_populator.go).
 *
 * - Only pods with a `nodeName` are in the graph (graph_populator `updatePod`).
 * - pod → node; serviceaccount, secret, configmap, pvc → pod, each edge "destined" for the pod's node,
 *   so `hasPathFrom(node, X)` for these is "some pod on that node references X".
 * - A later pod with the same namespace/name replaces the earlier one (AddPod deletes the vertex first).
 *
 * Assumptions (the World has no field for them): no pod is a mirror pod (their references are not
 * added); no PersistentVolume references a secret (pv → secret edges); ResourceClaims, PVs,
 * VolumeAttachments, ResourceSlices and PodCertificateRequests are not modelled — checks whose answer
 * needs those vertices are indeterminate in the authorizer.
 */
import type { NodeGraphPod, World } from "../../core/index.ts";

export type ReferenceKind = "secret" | "configmap" | "pvc" | "serviceaccount";

export class NodeGraph {
  private readonly podNode = new Map<string, string>();
  private readonly references: Readonly<Record<ReferenceKind, Map<string, Set<string>>>> = {
    secret: new Map(),
    configmap: new Map(),
    pvc: new Map(),
    serviceaccount: new Map(),
  };

  constructor(pods: readonly NodeGraphPod[]) {
    const latest = new Map<string, NodeGraphPod>();
    for (const p of pods) latest.set(`${p.namespace}/${p.name}`, p);
    for (const [key, p] of latest) {
      if (p.nodeName === "") continue;
      this.podNode.set(key, p.nodeName);
      if (p.serviceAccountName) this.add("serviceaccount", p.namespace, p.serviceAccountName, p.nodeName);
      for (const s of p.secrets ?? []) this.add("secret", p.namespace, s, p.nodeName);
      for (const c of p.configMaps ?? []) this.add("configmap", p.namespace, c, p.nodeName);
      for (const c of p.persistentVolumeClaims ?? []) this.add("pvc", p.namespace, c, p.nodeName);
    }
  }

  private add(kind: ReferenceKind, namespace: string, name: string, node: string): void {
    const key = `${namespace}/${name}`;
    const nodes = this.references[kind].get(key);
    if (nodes) nodes.add(node);
    else this.references[kind].set(key, new Set([node]));
  }

  /** Is the pod bound to `node`? */
  podOnNode(node: string, namespace: string, name: string): boolean {
    return this.podNode.get(`${namespace}/${name}`) === node;
  }

  /** Does a pod on `node` reference this object? */
  referencedFrom(node: string, kind: ReferenceKind, namespace: string, name: string): boolean {
    return this.references[kind].get(`${namespace}/${name}`)?.has(node) ?? false;
  }
}

const graphs = new WeakMap<World, NodeGraph>();

export function nodeGraphFor(world: World): NodeGraph {
  let g = graphs.get(world);
  if (!g) {
    g = new NodeGraph(world.pods);
    graphs.set(world, g);
  }
  return g;
}
