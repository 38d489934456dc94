/**
 * The Node authorizer (kubernetes/kubernetes:plugin/pkg/auth/authorizer/node/node_authorizer.go at
 * v1.35.4 = v1.36.3; v1.37.2 differs only in csinodes/status and gate removals, both modelled).
 *
 * It never denies: every refusal is NoOpinion with a reason, and the union goes on to RBAC. A user is
 * a node iff its name starts with `system:node:` and its groups contain `system:nodes`
 * (pkg/auth/nodeidentifier/default.go) — so a legacy-impersonated node name without `system:nodes`
 * (SPEC §9) is not a node here. Names and messages keep upstream's (authorizeGet, authorizePod, …).
 *
 * Indeterminate (NoOpinion + `indeterminate`) exactly where the answer needs a graph vertex the World
 * cannot hold: named gets of persistentvolumes, volumeattachments, resourceclaims, resourceslices
 * (also update/patch/delete) and podcertificaterequests. Everything else — pods, nodes, secrets,
 * configmaps, pvcs, serviceaccounts (get and token), leases, csinodes, resourceslice lists and creates,
 * the static rules — is decided.
 */
import { DEFAULT_KUBE_VERSION, SYSTEM_NODES, minorOf, type CheckAttributes, type KubeVersion, type World } from "../../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../authorizer.ts";
import { goQuote } from "../go-text.ts";
import { rulesAllow, type CompiledRule } from "../rbac/rule-match.ts";
import { hasString } from "../string-list.ts";
import { nodeFeatureGates, type NodeFeatureGate, type NodeFeatureGates } from "./features.ts";
import { nodeGraphFor, type NodeGraph, type ReferenceKind } from "./node-graph.ts";
import { compiledNodeRules } from "./node-rules.ts";

export interface NodeAuthorizerOptions {
  readonly kubeVersion?: KubeVersion;
  /** Overrides of the version's feature-gate defaults, as passed to kube-apiserver `--feature-gates`. */
  readonly featureGates?: Partial<Record<NodeFeatureGate, boolean>>;
}

const NODE_USER_PREFIX = "system:node:";
const NODE_LEASE_NAMESPACE = "kube-node-lease";

const ALLOW: AuthorizerAnswer = { decision: "allow", reason: "", decidedBy: "node" };
const noOpinion = (reason: string): AuthorizerAnswer => ({ decision: "no-opinion", reason, decidedBy: "node" });
const NO_OPINION = noOpinion("");
const unknowable = (what: string): AuthorizerAnswer => ({
  decision: "no-opinion",
  reason: "",
  decidedBy: "node",
  indeterminate: `Node authorizer graph lookup of ${what}, which the World does not model`,
});

/** `NodeIdentity`: the node name, or undefined for a non-node user. */
export function nodeIdentity(a: CheckAttributes): string | undefined {
  if (!a.user.username.startsWith(NODE_USER_PREFIX) || !hasString(a.user.groups, SYSTEM_NODES)) return undefined;
  return a.user.username.slice(NODE_USER_PREFIX.length);
}

/** A field selector requirement `field = value` (the SAR form of selection.Equals is `In [value]`). */
function fieldEquals(a: CheckAttributes, field: string, value: string): boolean {
  // A loop, not some() with a closure over field/value: that would allocate a context on every call.
  for (const r of a.fieldSelector ?? []) {
    if (r.key === field && r.operator === "In" && r.values.length === 1 && r.values[0] === value) return true;
  }
  return false;
}

class NodeAuthorizer implements Authorizer {
  private readonly graph: NodeGraph;
  private readonly rules: readonly CompiledRule[];
  private readonly gates: NodeFeatureGates;
  private readonly minor: number;

  constructor(world: World, options: NodeAuthorizerOptions) {
    const version = options.kubeVersion ?? DEFAULT_KUBE_VERSION;
    this.gates = nodeFeatureGates(version, options.featureGates);
    this.minor = minorOf(version);
    this.graph = nodeGraphFor(world);
    this.rules = compiledNodeRules(version, this.gates);
  }

  authorize(a: CheckAttributes): AuthorizerAnswer {
    const node = nodeIdentity(a);
    if (node === undefined) return NO_OPINION;
    if (node === "") return noOpinion(`unknown node for user ${goQuote(a.user.username)}`);
    if (a.resourceRequest) {
      switch (`${a.group}/${a.resource}`) {
        case "/secrets":
          return this.authorizeReadNamespacedObject(node, "secret", a);
        case "/configmaps":
          return this.authorizeReadNamespacedObject(node, "configmap", a);
        case "/persistentvolumeclaims":
          return a.subresource === "status" ? this.authorizeStatusUpdate(node, a) : this.authorizeGet(node, "pvc", a);
        case "/persistentvolumes":
          return this.authorizeGet(node, "persistentvolume", a);
        case "resource.k8s.io/resourceclaims":
          return this.authorizeGet(node, "resourceclaim", a);
        case "storage.k8s.io/volumeattachments":
          return this.authorizeGet(node, "volumeattachment", a);
        case "/serviceaccounts":
          return this.authorizeServiceAccount(node, a);
        case "coordination.k8s.io/leases":
          return this.authorizeLease(node, a);
        case "storage.k8s.io/csinodes":
          return this.authorizeCSINode(node, a);
        case "resource.k8s.io/resourceslices":
          return this.authorizeResourceSlice(node, a);
        case "/nodes":
          return this.authorizeNode(node, a);
        case "/pods":
          return this.authorizePod(node, a);
        case "certificates.k8s.io/podcertificaterequests":
          return this.gates.PodCertificateRequest ? this.authorizePodCertificateRequest(node, a) : NO_OPINION;
      }
    }
    return rulesAllow(a, this.rules) ? ALLOW : NO_OPINION;
  }

  /** Upstream's lower-case `authorize`: a named object with a graph path to the node. */
  private authorizeByGraph(node: string, kind: ReferenceKind | "pod" | Unmodelled, a: CheckAttributes): AuthorizerAnswer {
    if (a.name === "") return noOpinion("No Object name found");
    const related =
      kind === "pod" ? this.graph.podOnNode(node, a.namespace, a.name)
      : isReference(kind) ? this.graph.referencedFrom(node, kind, a.namespace, a.name)
      : undefined;
    if (related === undefined) return unknowable(`${kind} ${a.namespace}/${a.name}`);
    return related ? ALLOW : noOpinion(`no relationship found between node '${node}' and this object`);
  }

  private authorizeStatusUpdate(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (a.verb !== "update" && a.verb !== "patch") return noOpinion("can only get/update/patch this type");
    return this.authorizeByGraph(node, "pvc", a);
  }

  private authorizeGet(node: string, kind: ReferenceKind | "pod" | Unmodelled, a: CheckAttributes): AuthorizerAnswer {
    if (a.verb !== "get") return noOpinion("can only get individual resources of this type");
    if (a.subresource !== "") return noOpinion("cannot get subresource");
    return this.authorizeByGraph(node, kind, a);
  }

  private authorizeReadNamespacedObject(node: string, kind: ReferenceKind, a: CheckAttributes): AuthorizerAnswer {
    if (a.verb !== "get" && a.verb !== "list" && a.verb !== "watch") return noOpinion("can only read resources of this type");
    if (a.subresource !== "") return noOpinion("cannot read subresource");
    if (a.namespace === "") return noOpinion("can only read namespaced object of this type");
    return this.authorizeByGraph(node, kind, a);
  }

  private authorizeServiceAccount(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (a.verb === "get" && a.subresource === "") {
      if (!this.gates.KubeletServiceAccountTokenForCredentialProviders && !this.gates.PodCertificateRequest) {
        return noOpinion("not allowed to get service accounts");
      }
      return this.authorizeReadNamespacedObject(node, "serviceaccount", a);
    }
    // authorizeCreateToken
    if (a.verb !== "create" || a.name === "") return noOpinion("can only create tokens for individual service accounts");
    if (a.subresource !== "token") return noOpinion("can only create token subresource of serviceaccount");
    return this.graph.referencedFrom(node, "serviceaccount", a.namespace, a.name)
      ? ALLOW
      : noOpinion(`no relationship found between node '${node}' and this object`);
  }

  private authorizeLease(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (!["get", "create", "update", "patch", "delete"].includes(a.verb)) {
      return noOpinion("can only get, create, update, patch, or delete a node lease");
    }
    if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the "${NODE_LEASE_NAMESPACE}" system namespace`);
    if (a.verb !== "create" && a.name !== node) return noOpinion("can only access node lease with the same name as the requesting node");
    return ALLOW;
  }

  private authorizeCSINode(node: string, a: CheckAttributes): AuthorizerAnswer {
    const plainVerbOk = ["get", "create", "update", "patch", "delete"].includes(a.verb);
    if (this.minor < 37) {
      if (!plainVerbOk) return noOpinion("can only get, create, update, patch, or delete a CSINode");
      if (a.subresource !== "") return noOpinion("cannot authorize CSINode subresources");
    } else if (a.subresource === "") {
      if (!plainVerbOk) return noOpinion("can only get, create, update, patch, or delete a CSINode");
    } else if (a.subresource === "status") {
      if (!this.gates.CSIVolumeHealth) return noOpinion("CSINode status access requires CSIVolumeHealth feature");
      if (!["get", "update", "patch"].includes(a.verb)) return noOpinion("can only get, update, or patch CSINode status");
    } else {
      return noOpinion("cannot authorize CSINode subresources");
    }
    if (a.verb !== "create" && a.name !== node) return noOpinion("can only access CSINode with the same name as the requesting node");
    return ALLOW;
  }

  private authorizeResourceSlice(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (a.subresource !== "") return noOpinion("cannot authorize ResourceSlice subresources");
    switch (a.verb) {
      case "create":
        return ALLOW;
      case "get":
      case "update":
      case "patch":
      case "delete":
        return this.authorizeByGraph(node, "resourceslice", a);
      case "watch":
      case "list":
      case "deletecollection":
        if (fieldEquals(a, "spec.nodeName", node)) return ALLOW;
        return noOpinion("can only list/watch/deletecollection resourceslices with nodeName field selector");
      default:
        return noOpinion(
          "only the following verbs are allowed for a ResourceSlice: get, watch, list, create, update, patch, delete, deletecollection",
        );
    }
  }

  private authorizePodCertificateRequest(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (a.subresource !== "") return noOpinion("nodes may not access the status subresource of PodCertificateRequests");
    switch (a.verb) {
      case "create":
        return ALLOW;
      case "get":
        return this.authorizeByGraph(node, "podcertificaterequest", a);
      case "list":
      case "watch":
        if (fieldEquals(a, "spec.nodeName", node)) return ALLOW;
        return noOpinion("can only list/watch podcertificaterequests with nodeName field selector");
    }
    return noOpinion(`nodes may not ${a.verb} podcertificaterequests`);
  }

  private authorizeNode(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (a.subresource === "") {
      if (a.verb === "create" || a.verb === "update" || a.verb === "patch") return ALLOW;
      if (a.verb === "get" || a.verb === "list" || a.verb === "watch") {
        if (a.name === node) return ALLOW;
        if (a.name === "") return noOpinion(`node '${node}' cannot read all nodes, only its own Node object`);
        return noOpinion(`node '${node}' cannot read '${a.name}', only its own Node object`);
      }
    } else if (a.subresource === "status" && (a.verb === "update" || a.verb === "patch")) {
      return ALLOW;
    }
    return NO_OPINION;
  }

  private authorizePod(node: string, a: CheckAttributes): AuthorizerAnswer {
    if (a.subresource === "") {
      switch (a.verb) {
        case "get":
          return this.authorizeGet(node, "pod", a);
        case "list":
        case "watch":
          if (fieldEquals(a, "spec.nodeName", node)) return ALLOW;
          if (a.name !== "") return this.authorizeByGraph(node, "pod", a);
          return noOpinion("can only list/watch pods with spec.nodeName field selector");
        case "create":
        case "delete":
          return ALLOW;
      }
    } else if (a.subresource === "status") {
      if (a.verb === "update" || a.verb === "patch") return ALLOW;
    } else if (a.subresource === "eviction") {
      if (a.verb === "create") return ALLOW;
    }
    return NO_OPINION;
  }
}

/** Graph vertex types the World does not hold. */
type Unmodelled = "persistentvolume" | "resourceclaim" | "volumeattachment" | "resourceslice" | "podcertificaterequest";

const REFERENCE_KINDS: ReadonlySet<string> = new Set<ReferenceKind>(["secret", "configmap", "pvc", "serviceaccount"]);
function isReference(kind: string): kind is ReferenceKind {
  return REFERENCE_KINDS.has(kind);
}

export function nodeAuthorizer(world: World, options: NodeAuthorizerOptions = {}): Authorizer {
  return new NodeAuthorizer(world, options);
}
