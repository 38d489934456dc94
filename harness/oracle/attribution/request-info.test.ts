import { describe, expect, it } from "vitest";
import { attributesFor } from "./request-info.ts";

const req = (method: string, path: string) => ({ method, path, headers: [] as const });

/** [method, path, verb, namespace, group, version, resource, subresource, name] */
type Row = readonly [string, string, string, string, string, string, string, string, string];

// Expectations of kubernetes/apiserver:pkg/endpoints/request/requestinfo_test.go TestGetAPIRequestInfo
// (v0.35.4), restated as data.
const UPSTREAM_RESOURCE_CASES: readonly Row[] = [
  ["GET", "/api/v1/namespaces", "list", "", "", "v1", "namespaces", "", ""],
  ["GET", "/api/v1/namespaces/other", "get", "other", "", "v1", "namespaces", "", "other"],
  ["GET", "/api/v1/namespaces/other/pods", "list", "other", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods/foo", "get", "other", "", "v1", "pods", "", "foo"],
  ["HEAD", "/api/v1/namespaces/other/pods/foo", "get", "other", "", "v1", "pods", "", "foo"],
  ["GET", "/api/v1/pods", "list", "", "", "v1", "pods", "", ""],
  ["HEAD", "/api/v1/pods", "list", "", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/proxy/namespaces/other/pods/foo", "proxy", "other", "", "v1", "pods", "", "foo"],
  ["GET", "/api/v1/proxy/namespaces/other/pods/foo/subpath/not/a/subresource", "proxy", "other", "", "v1", "pods", "", "foo"],
  ["GET", "/api/v1/watch/pods", "watch", "", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/pods?watch=true", "watch", "", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/pods?watch=false", "list", "", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/watch/namespaces/other/pods", "watch", "other", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods?watch=1", "watch", "other", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods?watch=0", "list", "other", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/other/pods/foo/status", "get", "other", "", "v1", "pods", "status", "foo"],
  ["GET", "/api/v1/namespaces/other/pods/foo/proxy/subpath", "get", "other", "", "v1", "pods", "proxy", "foo"],
  ["PUT", "/api/v1/namespaces/other/finalize", "update", "other", "", "v1", "namespaces", "finalize", "other"],
  ["PUT", "/api/v1/namespaces/other/status", "update", "other", "", "v1", "namespaces", "status", "other"],
  ["PATCH", "/api/v1/namespaces/other/pods/foo", "patch", "other", "", "v1", "pods", "", "foo"],
  ["DELETE", "/api/v1/namespaces/other/pods/foo", "delete", "other", "", "v1", "pods", "", "foo"],
  ["POST", "/api/v1/namespaces/other/pods", "create", "other", "", "v1", "pods", "", ""],
  ["DELETE", "/api/v1/nodes", "deletecollection", "", "", "v1", "nodes", "", ""],
  ["DELETE", "/api/v1/namespaces", "deletecollection", "", "", "v1", "namespaces", "", ""],
  ["DELETE", "/api/v1/namespaces/other/pods", "deletecollection", "other", "", "v1", "pods", "", ""],
  ["DELETE", "/apis/extensions/v1/namespaces/other/pods", "deletecollection", "other", "extensions", "v1", "pods", "", ""],
  ["POST", "/apis/extensions/v1/namespaces/other/pods", "create", "other", "extensions", "v1", "pods", "", ""],
  ["POST", "/apis/extensions/v1beta3/namespaces/other/pods", "create", "other", "extensions", "v1beta3", "pods", "", ""],
];

// Further rules of NewRequestInfo, each checked against the real v0.35.4 code while writing this model.
const MORE_RESOURCE_CASES: readonly Row[] = [
  ["GET", "/apis/apps/v1/namespaces/ns/deployments/web/scale", "get", "ns", "apps", "v1", "deployments", "scale", "web"],
  ["GET", "/apis/apps/v1/watch/namespaces/ns/deployments/web", "watch", "ns", "apps", "v1", "deployments", "", "web"],
  ["GET", "/api/v1/namespaces/ns/pods?watch=", "watch", "ns", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/ns/pods?watch=FALSE", "list", "ns", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/ns/pods?watch=yes", "watch", "ns", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dfoo", "list", "ns", "", "v1", "pods", "", "foo"],
  ["GET", "/api/v1/namespaces/ns/pods?watch=1&fieldSelector=metadata.name%3D%3Dfoo", "watch", "ns", "", "v1", "pods", "", "foo"],
  // sorted terms: "metadata.name=a" < "metadata.name=b"
  ["GET", "/api/v1/pods?fieldSelector=metadata.name%3Db,metadata.name%3Da", "list", "", "", "v1", "pods", "", "a"],
  // != is no exact match; an invalid path segment name is not taken
  ["GET", "/api/v1/pods?fieldSelector=metadata.name!%3Dfoo", "list", "", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/pods?fieldSelector=metadata.name%3D..", "list", "", "", "v1", "pods", "", ""],
  // a failing parameter (limit) drops the name but keeps watch
  ["GET", "/api/v1/pods?limit=x&watch=true&fieldSelector=metadata.name%3Dfoo", "watch", "", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/pods?limit=-5&fieldSelector=metadata.name%3Dfoo", "list", "", "", "v1", "pods", "", "foo"],
  ["GET", "/api/v1/pods?labelSelector=a%3D%3D%3D&fieldSelector=metadata.name%3Dfoo", "list", "", "", "v1", "pods", "", ""],
  // deletecollection keeps no name from a selector; the /watch/ prefix takes no name from it either
  ["DELETE", "/api/v1/namespaces/ns/pods?fieldSelector=metadata.name%3Dfoo", "deletecollection", "ns", "", "v1", "pods", "", ""],
  ["GET", "/api/v1/watch/pods?fieldSelector=metadata.name%3Dfoo", "watch", "", "", "v1", "pods", "", ""],
  // %2F decodes to a real slash before splitting
  ["GET", "/api/v1/namespaces/a%2Fb/pods", "get", "a", "", "v1", "b", "", "pods"],
  // an empty name segment: the GET becomes a list of the subresource
  ["GET", "/api/v1/namespaces/ns/pods//log", "list", "ns", "", "v1", "pods", "log", ""],
  // other methods have no verb; method names are case-sensitive
  ["OPTIONS", "/api/v1/pods", "", "", "", "v1", "pods", "", ""],
  ["get", "/api/v1/pods", "", "", "", "v1", "pods", "", ""],
  // selfsubjectreviews (SPEC §12 whoami)
  ["POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "create", "", "authentication.k8s.io", "v1", "selfsubjectreviews", "", ""],
];

describe("attributesFor: resource requests", () => {
  it.each([...UPSTREAM_RESOURCE_CASES, ...MORE_RESOURCE_CASES])("%s %s", (method, path, verb, ns, group, version, resource, sub, name) => {
    const a = attributesFor(req(method, path));
    expect(a).toMatchObject({ resourceRequest: true, verb, namespace: ns, group, version, resource, subresource: sub, name, path: "" });
    expect(a.earlyFailure).toBeUndefined();
  });
});

describe("attributesFor: non-resource requests", () => {
  // requestinfo_test.go TestGetNonAPIRequestInfo and the error cases, plus SPEC §12's list.
  it.each([
    ["GET", "/", "get"],
    ["GET", "/api", "get"],
    ["GET", "/apis", "get"],
    ["GET", "/api/v1", "get"],
    ["GET", "/api/version/", "get"],
    ["GET", "/apis/apps", "get"],
    ["GET", "/apis/apps/v1", "get"],
    ["GET", "/apis/extensions/v1beta1/", "get"],
    ["GET", "/apis/version/resource", "get"],
    ["GET", "/badprefix/version/resource", "get"],
    ["GET", "/not-api/version/resource", "get"],
    ["GET", "/healthz", "get"],
    ["GET", "/version", "get"],
    ["GET", "/openapi/v3/apis/apps/v1", "get"],
    ["POST", "/healthz/ping", "post"],
    ["HEAD", "/livez", "head"],
    ["OPTIONS", "/readyz?verbose", "options"],
  ])("%s %s", (method, path, verb) => {
    const a = attributesFor(req(method, path));
    expect(a).toMatchObject({ resourceRequest: false, verb, namespace: "", group: "", version: "", resource: "", subresource: "", name: "" });
    expect(a.path).toBe(path.split("?")[0]);
  });

  it("a resource-looking path under an unknown prefix keeps its decoded path", () => {
    expect(attributesFor(req("GET", "/metrics%2Fx")).path).toBe("/metrics/x");
  });
});

describe("attributesFor: readOnly = IsReadOnly()", () => {
  it.each([
    ["GET", "/api/v1/pods", true],
    ["GET", "/api/v1/pods?watch=1", true],
    ["GET", "/api/v1/namespaces/n/pods/p", true],
    ["GET", "/api/v1/proxy/namespaces/n/pods/p", false],
    ["POST", "/api/v1/namespaces/n/pods", false],
    ["DELETE", "/api/v1/namespaces/n/pods", false],
    ["GET", "/healthz", true],
    ["HEAD", "/healthz", false],
  ])("%s %s → %s", (method, path, readOnly) => {
    expect(attributesFor(req(method, path)).readOnly).toBe(readOnly);
  });
});

describe("attributesFor: requests answered before authentication", () => {
  it.each([
    ["/api/v1/watch", 500],
    ["/api/v1/proxy", 500],
    ["/apis/apps/v1/watch", 500],
    ["/api/v1/pods/%zz", 400],
    ["/api/v1/pods/%4", 400],
    ["/api/v1/pods\u0001", 400],
    ["/api/v1/a b", 400],
    ["api/v1/pods", 400],
  ])("%s → %d", (path, code) => {
    expect(attributesFor(req("GET", path)).earlyFailure?.code).toBe(code);
  });

  it("a bad escape in the query only drops that pair", () => {
    const a = attributesFor(req("GET", "/api/v1/pods?watch=%zz&fieldSelector=metadata.name%3Dx"));
    expect(a).toMatchObject({ verb: "list", name: "x" });
    expect(a.earlyFailure).toBeUndefined();
  });

  it("a pair containing ';' is dropped (Go ≥ 1.17)", () => {
    expect(attributesFor(req("GET", "/api/v1/pods?watch=true;x=1")).verb).toBe("list");
  });
});

describe("attributesFor: cacheKey", () => {
  const key = (path: string, method = "GET") => attributesFor(req(method, path)).cacheKey;

  it("separates resource requests by URL path although their attributes are equal", () => {
    expect(attributesFor(req("GET", "/api/v1/namespaces/n/pods/p/"))).toMatchObject({ name: "p", path: "" });
    expect(key("/api/v1/namespaces/n/pods/p/")).not.toBe(key("/api/v1/namespaces/n/pods/p"));
  });

  it("ignores query parameters other than selectors (SPEC §11)", () => {
    expect(key("/api/v1/pods?limit=1")).toBe(key("/api/v1/pods?limit=500"));
  });

  it("is absent when a selector failed to parse", () => {
    const a = attributesFor(req("GET", "/api/v1/pods?labelSelector=a%3D%3D%3D"));
    expect(a.selectorError).toBe(true);
    expect(a.cacheKey).toBeUndefined();
  });
});
