import { describe, expect, it } from "vitest";
import { parseFieldSelector } from "./field-selector.ts";
import { labelRequirementString, parseLabelSelector } from "./label-selector.ts";
import { attributesFor } from "./request-info.ts";

const get = (path: string, method = "GET") => attributesFor({ method, path, headers: [] });
const q = encodeURIComponent;

describe("parseFieldSelector (fields.ParseSelector)", () => {
  it.each([
    ["a=b", [["a", "=", "b"]]],
    ["a==b", [["a", "=", "b"]]],
    ["a!=b", [["a", "!=", "b"]]],
    ["b=1,a=2", [["a", "=", "2"], ["b", "=", "1"]]],
    ["a=", [["a", "=", ""]]],
    ["=", []],
    ["a=b,", [["a", "=", "b"]]],
    [",,a=b", [["a", "=", "b"]]],
    ["a=x\\,y", [["a", "=", "x,y"]]],
    ["a=x\\=y\\\\", [["a", "=", "x=y\\"]]],
    ["a\\,b=c", [["a\\,b", "=", "c"]]],
    ["x!=", [["x", "!=", ""]]],
  ])("%j", (selector, expected) => {
    const r = parseFieldSelector(selector);
    expect(r.ok && r.requirements.map((x) => [x.field, x.operator, x.value])).toEqual(expected);
  });

  it.each(["a", "a=b=c", "a==b=c", "a=\\x", "a=b\\", "a,b=c"])("%j does not parse", (selector) => {
    expect(parseFieldSelector(selector).ok).toBe(false);
  });
});

describe("parseLabelSelector (labels.Parse)", () => {
  it.each([
    ["a=b", ["a=b"]],
    ["a==b", ["a==b"]],
    ["a!=b", ["a!=b"]],
    ["a in (c,b,c)", ["a in (b,c)"]],
    ["a notin (b)", ["a notin (b)"]],
    ["a in ()", ["a in ()"]],
    ["a in (,b)", ["a in (,b)"]],
    ["a", ["a"]],
    ["!a", ["!a"]],
    ["b=1,a=2", ["a=2", "b=1"]],
    ["a>1", ["a>1"]],
    ["a<10", ["a<10"]],
    ["in=notin", ["in=notin"]],
    ["  a = b ", ["a=b"]],
    ["a=", ["a="]],
    ["example.com/k=v", ["example.com/k=v"]],
    ["", []],
    ["a=b\u0000garbage", null],
    ["a=b,\u0000", null],
  ])("%j", (selector, expected) => {
    const r = parseLabelSelector(selector);
    expect(r.ok ? r.requirements.map(labelRequirementString) : null).toEqual(expected);
  });

  it.each(["a=b=c", "a=b,", "=b", "a in b", "a in (b", "!a=b", "a>x", "a>9223372036854775808", "a=-b", "a<-1", "Ex.com/a=b", "a/b/c=d", "a=(b)", "a b"])(
    "%j does not parse",
    (selector) => {
      expect(parseLabelSelector(selector).ok).toBe(false);
    },
  );

  it("treats a NUL as the end of input when it starts a token", () => {
    const r = parseLabelSelector("a=b\u0000");
    expect(r.ok && r.requirements.map(labelRequirementString)).toEqual(["a=b"]);
  });
});

describe("selectors in the check attributes (webhook SAR form)", () => {
  it("field: = and == → In, != → NotIn, in sorted term order", () => {
    const a = get(`/api/v1/pods?fieldSelector=${q("spec.nodeName==n1,metadata.namespace!=x")}`);
    expect(a.fieldSelector).toEqual([
      { key: "metadata.namespace", operator: "NotIn", values: ["x"] },
      { key: "spec.nodeName", operator: "In", values: ["n1"] },
    ]);
    expect(a.selectorError).toBeUndefined();
  });

  it("label: every operator, >/< dropped, exists with no values", () => {
    const a = get(`/api/v1/pods?labelSelector=${q("e,!d,c notin (y,x),b>1,a in (p),f==g,h!=i")}`);
    expect(a.labelSelector).toEqual([
      { key: "a", operator: "In", values: ["p"] },
      { key: "c", operator: "NotIn", values: ["x", "y"] },
      { key: "d", operator: "DoesNotExist", values: [] },
      { key: "e", operator: "Exists", values: [] },
      { key: "f", operator: "In", values: ["g"] },
      { key: "h", operator: "NotIn", values: ["i"] },
    ]);
  });

  it("a selector left with no requirement after conversion is absent", () => {
    const a = get(`/api/v1/pods?labelSelector=${q("a>1")}&fieldSelector=${q("=")}`);
    expect(a.labelSelector).toBeUndefined();
    expect(a.fieldSelector).toBeUndefined();
    expect(a.cacheKey).toBeDefined();
  });

  it("only list, watch and deletecollection carry selectors", () => {
    const s = `fieldSelector=${q("a=b")}&labelSelector=${q("c=d")}`;
    expect(get(`/api/v1/namespaces/n/pods?${s}`).fieldSelector).toBeDefined();
    expect(get(`/api/v1/namespaces/n/pods?watch=1&${s}`).labelSelector).toBeDefined();
    expect(get(`/api/v1/namespaces/n/pods?${s}`, "DELETE").fieldSelector).toBeDefined();
    expect(get(`/api/v1/namespaces/n/pods/p?${s}`).fieldSelector).toBeUndefined();
    expect(get(`/api/v1/namespaces/n/pods?${s}`, "POST").fieldSelector).toBeUndefined();
    expect(get(`/api/v1/watch/namespaces/n/pods?${s}`).fieldSelector).toBeUndefined();
  });

  it("uses the first value of a repeated parameter", () => {
    const a = get(`/api/v1/pods?fieldSelector=${q("metadata.name=foo")}&fieldSelector=${q("metadata.name=bar")}`);
    expect(a.name).toBe("foo");
    expect(a.fieldSelector).toEqual([{ key: "metadata.name", operator: "In", values: ["foo"] }]);
  });

  it("a parse error drops only that selector and sets selectorError", () => {
    const a = get(`/api/v1/pods?fieldSelector=${q("x=1")}&labelSelector=${q("a in b")}`);
    expect(a.selectorError).toBe(true);
    expect(a.fieldSelector).toEqual([{ key: "x", operator: "In", values: ["1"] }]);
    expect(a.labelSelector).toBeUndefined();
    expect(a.cacheKey).toBeUndefined();
  });

  it("the cache key tells apart label spellings that make the same SAR", () => {
    const eq = get(`/api/v1/pods?labelSelector=${q("a=b")}`);
    const deq = get(`/api/v1/pods?labelSelector=${q("a==b")}`);
    const inn = get(`/api/v1/pods?labelSelector=${q("a in (b)")}`);
    expect(eq.labelSelector).toEqual(deq.labelSelector);
    expect(eq.labelSelector).toEqual(inn.labelSelector);
    expect(new Set([eq.cacheKey, deq.cacheKey, inn.cacheKey]).size).toBe(3);
    // ...but field = and == are the same requirement (selection.Equals)
    expect(get(`/api/v1/pods?fieldSelector=${q("a=b")}`).cacheKey).toBe(get(`/api/v1/pods?fieldSelector=${q("a==b")}`).cacheKey);
    expect(get(`/api/v1/pods?labelSelector=${q("a>1")}`).cacheKey).not.toBe(get(`/api/v1/pods?labelSelector=${q("a>2")}`).cacheKey);
  });
});
