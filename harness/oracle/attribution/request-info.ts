/**
 * Request attribution: HTTP request → the attributes every authorization of it carries (SPEC §2, §4
 * "A", §12). This is RequestInfo (request-info-resolver.ts) followed by `GetAuthorizerAttributes`
 * (kubernetes/apiserver:pkg/endpoints/filters/authorization.go) and the webhook's SAR serialisation of
 * selectors (selector-attributes.ts), so the result diffs field by field against recorded SARs.
 *
 * Decisions where the contract needed one:
 * - `path` is the decoded URL path for non-resource requests and "" for resource requests (SARs carry
 *   no path); the real path of a resource request still separates cache entries, so it is in `cacheKey`.
 * - `readOnly` is upstream `AttributesRecord.IsReadOnly()`: verb get, list or watch.
 * - `selectorError` is set when either selector fails to parse; only that selector is absent (the
 *   other, if it parsed, is still in the SAR), and `cacheKey` is absent (buildKey errors, no caching).
 * - Requests the server rejects before authentication get `earlyFailure`; their attributes are the
 *   best RequestInfo could do (upstream returns its partial RequestInfo alongside the error).
 */
import type { HttpRequest } from "../../core/index.ts";
import type { RequestAttributes } from "../authorizer.ts";
import { internalize } from "../internalize.ts";
import { parseRequestTarget } from "./go-url.ts";
import { memoize2 } from "./memo.ts";
import { newRequestInfo, type RequestInfo } from "./request-info-resolver.ts";
import { selectorAttributes } from "./selector-attributes.ts";

const READ_ONLY_VERBS: ReadonlySet<string> = new Set(["get", "list", "watch"]);

/**
 * Memoised on (method, path): the result is immutable and shared, and fuzzing repeats request shapes.
 * Headers and body play no part in attribution.
 */
export function attributesFor(request: HttpRequest): RequestAttributes {
  return memoAttributes(request.method, request.path);
}

const memoAttributes = memoize2(8192, attribute);

function attribute(method: string, path: string): RequestAttributes {
  const target = parseRequestTarget(path);
  if (target.badRequest !== undefined) {
    const verb = method.toLowerCase();
    return {
      verb,
      resourceRequest: false,
      namespace: "",
      group: "",
      version: "",
      resource: "",
      subresource: "",
      name: "",
      path: target.path,
      readOnly: READ_ONLY_VERBS.has(verb),
      earlyFailure: { code: 400, reason: target.badRequest },
    };
  }
  return fromRequestInfo(newRequestInfo(method, target));
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function fromRequestInfo(info: RequestInfo): RequestAttributes {
  const selectors = selectorAttributes(info.fieldSelector, info.labelSelector);
  const readOnly = READ_ONLY_VERBS.has(info.verb);
  // Built field by field rather than with conditional spreads: this is on the oracle's hot path.
  // The strings the authorizers look up, internalized once per distinct request (attributesFor memoises).
  const a: Mutable<RequestAttributes> = {
    verb: internalize(info.verb),
    resourceRequest: info.isResourceRequest,
    namespace: internalize(info.namespace),
    group: internalize(info.apiGroup),
    version: internalize(info.apiVersion),
    resource: internalize(info.resource),
    subresource: internalize(info.subresource),
    name: internalize(info.name),
    path: info.isResourceRequest ? "" : internalize(info.path),
    readOnly,
  };
  if (selectors.fieldSelector) a.fieldSelector = selectors.fieldSelector;
  if (selectors.labelSelector) a.labelSelector = selectors.labelSelector;
  if (selectors.selectorError) a.selectorError = true;
  else {
    a.cacheKey = JSON.stringify([
      info.verb,
      readOnly,
      info.namespace,
      info.resource,
      info.subresource,
      info.name,
      info.apiGroup,
      info.apiVersion,
      info.isResourceRequest,
      info.path,
      selectors.cacheKeyPart,
    ]);
  }
  if (info.error !== undefined) a.earlyFailure = { code: 500, reason: info.error };
  return a;
}
