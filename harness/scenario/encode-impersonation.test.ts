import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalHeaderKey, encodeImpersonation, headerKeyEscape, toHttpRequest } from "./encode-impersonation.ts";

/** What the server does with an Impersonate-Extra-<key> header name (SPEC §5): lower-case, then url.PathUnescape. */
function serverExtraKey(headerName: string): string {
  const raw = headerName.slice("Impersonate-Extra-".length).toLowerCase();
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) return raw; // Go keeps the raw text when unescaping fails
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(raw.charCodeAt(i));
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

describe("encodeImpersonation", () => {
  it("orders headers as client-go: user, uid, groups in order, extra values in order", () => {
    expect(
      encodeImpersonation({
        user: "jane",
        uid: "u-1",
        groups: ["b", "a", "", "b"],
        extra: { "pandas.io/scopes": ["x", "y"], "acme.com/project": ["p"] },
      }),
    ).toEqual([
      ["Impersonate-User", "jane"],
      ["Impersonate-Uid", "u-1"],
      ["Impersonate-Group", "b"],
      ["Impersonate-Group", "a"],
      ["Impersonate-Group", ""],
      ["Impersonate-Group", "b"],
      ["Impersonate-Extra-Pandas.io%2fscopes", "x"],
      ["Impersonate-Extra-Pandas.io%2fscopes", "y"],
      ["Impersonate-Extra-Acme.com%2fproject", "p"],
    ]);
  });

  it("sends nothing for an empty impersonation, and an empty user header when only groups are set", () => {
    expect(encodeImpersonation(undefined)).toEqual([]);
    expect(encodeImpersonation({})).toEqual([]);
    expect(encodeImpersonation({ user: "", uid: "", groups: [], extra: {} })).toEqual([]);
    expect(encodeImpersonation({ groups: ["g"] })).toEqual([
      ["Impersonate-User", ""],
      ["Impersonate-Group", "g"],
    ]);
    expect(encodeImpersonation({ user: "u", extra: { "example.com/k": [] } })).toEqual([["Impersonate-User", "u"]]);
  });

  it("escapes extra keys byte by byte like headerKeyEscape", () => {
    expect(headerKeyEscape("example.com/escapedᛄscopes")).toBe("example.com%2Fescaped%E1%9B%84scopes");
    expect(headerKeyEscape("a%b c:d")).toBe("a%25b%20c%3Ad");
    expect(headerKeyEscape("!#$&'*+-.^_`|~09AZaz")).toBe("!#$&'*+-.^_`|~09AZaz");
    expect(encodeImpersonation({ user: "u", extra: { "example.com/escapedᛄscopes": ["v"] } })[1]).toEqual([
      "Impersonate-Extra-Example.com%2fescaped%e1%9b%84scopes",
      "v",
    ]);
  });

  it("canonicalises header names as Go's CanonicalMIMEHeaderKey", () => {
    expect(canonicalHeaderKey("impersonate-extra-a-b%2Fc")).toBe("Impersonate-Extra-A-B%2fc");
    expect(canonicalHeaderKey("IMPERSONATE-USER")).toBe("Impersonate-User");
    expect(canonicalHeaderKey("bad header")).toBe("bad header");
  });

  it("round-trips every extra key through the server's decoding (fast-check)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 30 }), (key) => {
        const [[name]] = encodeImpersonation({ user: "u", extra: { [key]: ["v"] } }).slice(1) as [[string, string]];
        expect(name).toMatch(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/);
        expect(serverExtraKey(name)).toBe(asciiLower(key));
      }),
    );
  });
});

describe("toHttpRequest", () => {
  it("appends raw headers verbatim after the encoded ones and keeps the body", () => {
    const req = toHttpRequest({
      method: "POST",
      path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      impersonate: { user: "jane" },
      headers: { "Impersonate-Extra-example.com%2fescaped%e1%9b%84scopes": ["a", "b"], "impersonate-group": ["x"] },
      body: { kind: "SelfSubjectReview" },
    });
    expect(req).toEqual({
      method: "POST",
      path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
      headers: [
        ["Impersonate-User", "jane"],
        ["Impersonate-Extra-example.com%2fescaped%e1%9b%84scopes", "a"],
        ["Impersonate-Extra-example.com%2fescaped%e1%9b%84scopes", "b"],
        ["impersonate-group", "x"],
      ],
      body: { kind: "SelfSubjectReview" },
    });
    expect("body" in toHttpRequest({ method: "GET", path: "/" })).toBe(false);
  });
});
