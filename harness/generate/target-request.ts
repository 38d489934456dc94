import fc from "fast-check";
import { weighted } from "./_internals/helpers/weighted.ts";
import { AUTHENTICATION_GROUP, OBJECT_NAMES, type RequestVerb, VALID_NODE_NAMES } from "./_internals/vocabulary.ts";
import { namespaceName } from "./namespace-name.ts";

/** What a target request addresses (SPEC §12 request shapes). */
export const TARGET_KINDS = [
  "pods",
  "pods/status",
  "pods/log",
  "deployments",
  "serviceaccounts",
  "secrets",
  "nodes",
  "selfsubjectreviews",
  "non-resource",
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** The request's authorizer attributes (RequestInfo), which the grants are cut to. */
export interface RequestAttributes {
  readonly verb: string;
  readonly resourceRequest: boolean;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  /** URL path without the query. */
  readonly path: string;
}

export interface TargetRequest {
  readonly kind: TargetKind;
  readonly method: string;
  /** Path with query. Mutating requests carry `dryRun=All` (selfsubjectreviews aside); watches `timeoutSeconds=1`. */
  readonly path: string;
  readonly body?: unknown;
  readonly attributes: RequestAttributes;
}

export const NON_RESOURCE_PATHS = ["/healthz", "/version", "/api", "/api/v1", "/apis"] as const;

const PAUSE = "registry.k8s.io/pause:3.10";
const podBody = (name: string) => ({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec: { containers: [{ name: "c", image: PAUSE }] } });

interface ResourceKind {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespaced: boolean;
  /** Simplest verb first. */
  readonly verbs: readonly RequestVerb[];
  readonly names: readonly string[];
  readonly body: (name: string) => unknown;
}

const ALL_VERBS: readonly RequestVerb[] = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

const RESOURCE_KINDS: Record<Exclude<TargetKind, "non-resource">, ResourceKind> = {
  pods: { group: "", version: "v1", resource: "pods", subresource: "", namespaced: true, verbs: ALL_VERBS, names: OBJECT_NAMES, body: podBody },
  "pods/status": { group: "", version: "v1", resource: "pods", subresource: "status", namespaced: true, verbs: ["get", "update", "patch"], names: OBJECT_NAMES, body: podBody },
  "pods/log": { group: "", version: "v1", resource: "pods", subresource: "log", namespaced: true, verbs: ["get"], names: OBJECT_NAMES, body: podBody },
  deployments: {
    group: "apps",
    version: "v1",
    resource: "deployments",
    subresource: "",
    namespaced: true,
    verbs: ALL_VERBS,
    names: OBJECT_NAMES,
    body: (name) => ({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name },
      spec: {
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: PAUSE }] } },
      },
    }),
  },
  serviceaccounts: {
    group: "",
    version: "v1",
    resource: "serviceaccounts",
    subresource: "",
    namespaced: true,
    verbs: ["get", "list", "watch", "create", "patch", "delete"],
    names: OBJECT_NAMES,
    body: (name) => ({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name } }),
  },
  secrets: {
    group: "",
    version: "v1",
    resource: "secrets",
    subresource: "",
    namespaced: true,
    verbs: ["get", "list", "watch", "create", "update", "delete", "deletecollection"],
    names: OBJECT_NAMES,
    body: (name) => ({ apiVersion: "v1", kind: "Secret", metadata: { name } }),
  },
  nodes: {
    group: "",
    version: "v1",
    resource: "nodes",
    subresource: "",
    namespaced: false,
    verbs: ALL_VERBS,
    names: [...VALID_NODE_NAMES, "foo"],
    body: (name) => ({ apiVersion: "v1", kind: "Node", metadata: { name } }),
  },
  selfsubjectreviews: {
    group: AUTHENTICATION_GROUP,
    version: "v1",
    resource: "selfsubjectreviews",
    subresource: "",
    namespaced: false,
    verbs: ["create"],
    names: [""],
    body: () => ({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
  },
};

/** `field-node` only makes sense for pods; other kinds read it as `none`. */
const SELECTORS = ["none", "field-name", "label", "field-node", "field-name+label"] as const;
type Selector = (typeof SELECTORS)[number];

interface ResourceParts {
  readonly kind: Exclude<TargetKind, "non-resource">;
  readonly verb: RequestVerb;
  readonly namespace: string;
  readonly name: string;
  readonly selector: Selector;
  readonly node: string;
}

export const MUTATING_METHODS = ["POST", "PUT", "PATCH", "DELETE"] as const;

function basePath(k: ResourceKind): string {
  return k.group === "" ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
}

function resourcePartsToRequest(p: ResourceParts): TargetRequest {
  const k = RESOURCE_KINDS[p.kind];
  const collection = `${basePath(k)}${k.namespaced ? `/namespaces/${p.namespace}` : ""}/${k.resource}`;
  const item = `${collection}/${p.name}${k.subresource ? `/${k.subresource}` : ""}`;
  const query: string[] = [];
  const collectionVerb = p.verb === "list" || p.verb === "watch" || p.verb === "deletecollection";
  let attrName = collectionVerb || p.verb === "create" ? "" : p.name;
  if (collectionVerb) {
    const sel = p.selector === "field-node" && p.kind !== "pods" ? "none" : p.selector;
    if (sel === "field-name" || sel === "field-name+label") {
      query.push(`fieldSelector=metadata.name%3D${p.name}`);
      // RequestInfo takes the name from an exact metadata.name selector for list and watch only.
      if (p.verb !== "deletecollection") attrName = p.name;
    }
    if (sel === "field-node") query.push(`fieldSelector=spec.nodeName%3D${p.node}`);
    if (sel === "label" || sel === "field-name+label") query.push("labelSelector=app%3Dweb");
  }
  if (p.verb === "watch") query.push("watch=true", "timeoutSeconds=1");
  let method: string;
  let path: string;
  let body: unknown;
  switch (p.verb) {
    case "get":
      [method, path] = ["GET", item];
      break;
    case "list":
    case "watch":
      [method, path] = ["GET", collection];
      break;
    case "create":
      [method, path, body] = ["POST", collection, k.body(p.name)];
      break;
    case "update":
      [method, path, body] = ["PUT", item, k.body(p.name)];
      break;
    case "patch":
      [method, path, body] = ["PATCH", item, {}];
      break;
    case "delete":
      [method, path] = ["DELETE", item];
      break;
    case "deletecollection":
      [method, path] = ["DELETE", collection];
      break;
  }
  if ((MUTATING_METHODS as readonly string[]).includes(method) && p.kind !== "selfsubjectreviews") query.push("dryRun=All");
  const attributes: RequestAttributes = {
    verb: p.verb,
    resourceRequest: true,
    apiGroup: k.group,
    apiVersion: k.version,
    resource: k.resource,
    subresource: k.subresource,
    namespace: k.namespaced ? p.namespace : "",
    name: attrName,
    path,
  };
  const full = query.length ? `${path}?${query.join("&")}` : path;
  return body === undefined ? { kind: p.kind, method, path: full, attributes } : { kind: p.kind, method, path: full, body, attributes };
}

function nonResourceToRequest(path: string): TargetRequest {
  return {
    kind: "non-resource",
    method: "GET",
    path,
    attributes: { verb: "get", resourceRequest: false, apiGroup: "", apiVersion: "", resource: "", subresource: "", namespace: "", name: "", path },
  };
}

export interface TargetRequestConstraints {
  /**
   * Kinds with weights; a kind missing from the record is not generated.
   * @defaultValue pods 30, pods/status 6, pods/log 5, deployments 10, serviceaccounts 6, secrets 8,
   * nodes 12, selfsubjectreviews 8, non-resource 15
   */
  readonly kinds?: Partial<Record<TargetKind, number>>;
  /**
   * Weight of `default`/`kube-system` against the pool namespaces (10) for namespaced requests.
   * @defaultValue 1
   */
  readonly sharedNamespaceWeight?: number;
}

const DEFAULT_KIND_WEIGHTS: Record<TargetKind, number> = {
  pods: 30,
  "pods/status": 6,
  "pods/log": 5,
  deployments: 10,
  serviceaccounts: 6,
  secrets: 8,
  nodes: 12,
  selfsubjectreviews: 8,
  "non-resource": 15,
};

function kindArb(kind: TargetKind, sharedNamespaceWeight: number): fc.Arbitrary<TargetRequest> {
  if (kind === "non-resource") return fc.constantFrom(...NON_RESOURCE_PATHS).map(nonResourceToRequest);
  const k = RESOURCE_KINDS[kind];
  return fc
    .record({
      kind: fc.constant(kind),
      verb: fc.constantFrom(...k.verbs),
      namespace: namespaceName({ sharedWeight: sharedNamespaceWeight }),
      name: fc.constantFrom(...k.names),
      selector: weighted<Selector>([
        ["none", 6],
        ["field-name", 2],
        ["label", 2],
        ["field-node", 2],
        ["field-name+label", 1],
      ]),
      node: fc.constantFrom(...VALID_NODE_NAMES),
    })
    .map(resourcePartsToRequest);
}

/**
 * A request to impersonate for: method, path with query, body, and the attributes the server will
 * authorize. Safe on any cluster: every mutation is a dry run, watches end after a second, and
 * bodies are minimal valid objects named as the path says (PATCH bodies are `{}` merge patches).
 */
export function targetRequest(constraints: TargetRequestConstraints = {}): fc.Arbitrary<TargetRequest> {
  const weights = constraints.kinds ?? DEFAULT_KIND_WEIGHTS;
  const shared = constraints.sharedNamespaceWeight ?? 1;
  for (const [k, w] of Object.entries(weights)) {
    if (!(TARGET_KINDS as readonly string[]).includes(k)) throw new RangeError(`targetRequest: unknown kind ${k}`);
    if (!(Number.isFinite(w) && (w ?? 0) >= 0)) throw new RangeError(`targetRequest: weight of ${k} must be >= 0, got ${w}`);
  }
  const entries = TARGET_KINDS.map((k) => [k, weights[k] ?? 0] as const).filter(([, w]) => w > 0);
  if (entries.length === 0) throw new RangeError("targetRequest: no kind has a positive weight");
  if (entries.length === 1) return kindArb(entries[0]![0], shared);
  return fc.oneof({ withCrossShrink: true }, ...entries.map(([k, w]) => ({ arbitrary: kindArb(k, shared), weight: w })));
}

/** True when `path`'s query carries `dryRun=All`. */
export function hasDryRunAll(path: string): boolean {
  const q = path.indexOf("?");
  return q >= 0 && path.slice(q + 1).split("&").includes("dryRun=All");
}
