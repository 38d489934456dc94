/**
 * `RequestInfoFactory.NewRequestInfo` of kube-apiserver (kubernetes/apiserver:pkg/endpoints/request/
 * requestinfo.go, same logic in v0.35.4, v0.36.3, v0.37.2) with the server's prefixes: API prefixes
 * `api` and `apis`, of which `api` is groupless (pkg/server/config.go `NewRequestInfoResolver`).
 *
 * Shape of the rules, as implemented below:
 * - fewer than 3 path segments, an unknown first segment, or `/apis/<g>/<v>` with nothing after: a
 *   non-resource request, verb = lower-cased HTTP method.
 * - `/api/<v>/...` or `/apis/<g>/<v>/...`: a resource request. A first segment `proxy` or `watch` is the
 *   verb (a bare `/api/v1/watch` is an error: the server answers 500); otherwise POST create,
 *   GET/HEAD get, PUT update, PATCH patch, DELETE delete, any other method "" (methods are
 *   case-sensitive here).
 * - `namespaces/<ns>/<rest>`: namespace <ns>; unless <rest> starts with `status` or `finalize` (the
 *   namespace's own subresources) the parts restart at <rest>. Otherwise namespace "".
 * - parts = resource/name/subresource/...; `proxy` takes no subresource.
 * - a `get` with no name is `watch` or `list` (from the query, see list-options.ts), and may take its
 *   name from a `metadata.name` field selector; a `delete` with no name is `deletecollection`.
 * - selectors are kept (first raw value) for list, watch, deletecollection unless the verb came from
 *   the path prefix.
 */
import type { RequestTarget } from "./go-url.ts";
import { collectionGet } from "./list-options.ts";

export interface RequestInfo {
  readonly isResourceRequest: boolean;
  readonly path: string;
  readonly verb: string;
  readonly apiPrefix: string;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly namespace: string;
  readonly resource: string;
  readonly subresource: string;
  readonly name: string;
  readonly parts: readonly string[];
  readonly fieldSelector: string;
  readonly labelSelector: string;
  /** NewRequestInfo returned an error: WithRequestInfo answers 500 before authentication. */
  readonly error?: string;
}

const API_PREFIXES: ReadonlySet<string> = new Set(["api", "apis"]);
const GROUPLESS_API_PREFIXES: ReadonlySet<string> = new Set(["api"]);
const SPECIAL_VERBS: ReadonlySet<string> = new Set(["proxy", "watch"]);
const SPECIAL_VERBS_NO_SUBRESOURCES: ReadonlySet<string> = new Set(["proxy"]);
const NAMESPACE_SUBRESOURCES: ReadonlySet<string> = new Set(["status", "finalize"]);
const VERBS_WITH_SELECTORS: ReadonlySet<string> = new Set(["list", "watch", "deletecollection"]);

const METHOD_VERBS: Readonly<Record<string, string>> = {
  POST: "create",
  GET: "get",
  HEAD: "get",
  PUT: "update",
  PATCH: "patch",
  DELETE: "delete",
};

/** `strings.Split(strings.Trim(path, "/"), "/")`, with "" → []. */
function splitPath(path: string): string[] {
  let start = 0;
  let end = path.length;
  while (start < end && path.charCodeAt(start) === 0x2f) start++;
  while (end > start && path.charCodeAt(end - 1) === 0x2f) end--;
  return start === end ? [] : path.slice(start, end).split("/");
}

function nonResource(path: string, method: string): RequestInfo {
  return {
    isResourceRequest: false,
    path,
    verb: method.toLowerCase(),
    apiPrefix: "",
    apiGroup: "",
    apiVersion: "",
    namespace: "",
    resource: "",
    subresource: "",
    name: "",
    parts: [],
    fieldSelector: "",
    labelSelector: "",
  };
}

export function newRequestInfo(method: string, target: RequestTarget): RequestInfo {
  const { path, query } = target;
  let parts = splitPath(path);
  if (parts.length < 3 || !API_PREFIXES.has(parts[0]!)) return nonResource(path, method);
  const apiPrefix = parts[0]!;
  parts = parts.slice(1);
  let apiGroup = "";
  if (!GROUPLESS_API_PREFIXES.has(apiPrefix)) {
    if (parts.length < 3) return nonResource(path, method);
    apiGroup = parts[0]!;
    parts = parts.slice(1);
  }
  const apiVersion = parts[0]!;
  parts = parts.slice(1);

  let verb: string;
  let verbViaPathPrefix = false;
  if (SPECIAL_VERBS.has(parts[0]!)) {
    if (parts.length < 2) {
      return {
        ...nonResource(path, method),
        isResourceRequest: true,
        verb: method.toLowerCase(),
        apiPrefix,
        apiGroup,
        apiVersion,
        error: `unable to determine kind and namespace from url ${path}`,
      };
    }
    verb = parts[0]!;
    parts = parts.slice(1);
    verbViaPathPrefix = true;
  } else {
    verb = METHOD_VERBS[method] ?? "";
  }

  let namespace = "";
  if (parts[0] === "namespaces" && parts.length > 1) {
    namespace = parts[1]!;
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }

  let resource = "";
  let name = "";
  let subresource = "";
  if (parts.length >= 3 && !SPECIAL_VERBS_NO_SUBRESOURCES.has(verb)) subresource = parts[2]!;
  if (parts.length >= 2) name = parts[1]!;
  if (parts.length >= 1) resource = parts[0]!;

  if (name === "" && verb === "get") {
    const collection = collectionGet(query);
    verb = collection.watch ? "watch" : "list";
    name = collection.name;
  }
  if (name === "" && verb === "delete") verb = "deletecollection";

  let fieldSelector = "";
  let labelSelector = "";
  if (!verbViaPathPrefix && VERBS_WITH_SELECTORS.has(verb)) {
    fieldSelector = query.get("fieldSelector")?.[0] ?? "";
    labelSelector = query.get("labelSelector")?.[0] ?? "";
  }

  return {
    isResourceRequest: true,
    path,
    verb,
    apiPrefix,
    apiGroup,
    apiVersion,
    namespace,
    resource,
    subresource,
    name,
    parts,
    fieldSelector,
    labelSelector,
  };
}
