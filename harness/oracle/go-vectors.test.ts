/**
 * Golden vectors computed by the real Go / Kubernetes code (testdata/gen-go-vectors.ts): the string-level
 * pieces the oracle's exactness rests on — strconv.Quote, header canonicalisation, url.PathUnescape,
 * apimachinery validation messages, SplitUsername, `%#v` of *user.DefaultInfo, ForbiddenStatusError and
 * the gate-OFF 400 text.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { asciiLower, bytesToGo, goQuote, visible } from "./go-text.ts";
import { canonicalMIMEHeaderKey, pathUnescape, type ExtraEntry } from "./headers.ts";
import { forbiddenStatus, objectRefV, sharpVWantedUser } from "./messages.ts";
import { aggregateError, isDomainPrefixedPath, nodeNameOf, splitServiceAccountUsername } from "./validation.ts";

type B = number[];
const v = JSON.parse(readFileSync(new URL("./testdata/go-vectors.json", import.meta.url), "utf8"));
const go = (b: B): string => bytesToGo(b);
const latin1 = (b: B): string => String.fromCharCode(...b);
const pairs = <I, O>(name: string): [I, O][] => (v.input[name] as I[]).map((x, i) => [x, v.output[name][i] as O]);

describe("Go golden vectors", () => {
  it("strconv.Quote", () => {
    for (const [i, o] of pairs<B, B>("quote")) expect(goQuote(go(i)), JSON.stringify(i)).toBe(go(o));
  });
  it("textproto.CanonicalMIMEHeaderKey", () => {
    for (const [i, o] of pairs<B, B>("canonical")) expect(canonicalMIMEHeaderKey(latin1(i))).toBe(latin1(o));
  });
  it("url.PathUnescape(strings.ToLower(s))", () => {
    for (const [i, o] of pairs<B, B | null>("unescape")) expect(pathUnescape(asciiLower(latin1(i))), latin1(i)).toBe(o === null ? null : go(o));
  });
  it("IsDomainPrefixedPath(extra.key) aggregate text", () => {
    for (const [i, o] of pairs<B, B>("domainPath")) {
      const errs = isDomainPrefixedPath("extra.key", go(i));
      expect(errs.length === 0 ? "" : aggregateError(errs), JSON.stringify(i)).toBe(go(o));
    }
  });
  it("serviceaccount.SplitUsername", () => {
    for (const [i, o] of pairs<B, [B, B] | null>("splitSA")) {
      expect(splitServiceAccountUsername(go(i)), latin1(i)).toEqual(o === null ? null : { namespace: go(o[0]), name: go(o[1]) });
    }
  });
  it("NameIsDNSSubdomain (node names)", () => {
    for (const [i, o] of pairs<B, boolean>("nodeName")) expect(nodeNameOf(`system:node:${go(i)}`) !== null, latin1(i)).toBe(o);
  });
  it("%#v of *user.DefaultInfo", () => {
    for (const [i, o] of pairs<{ name: B; uid: B; groups: B[] | null; extra: Record<string, B[]> | null }, B>("sharpV")) {
      const extra: ExtraEntry[] | null = i.extra === null ? null : Object.entries(i.extra).map(([k, vs]) => ({ key: go([...Buffer.from(k, "hex")]), values: vs.map(go), sources: [] }));
      expect(sharpVWantedUser({ name: go(i.name), uid: go(i.uid), groups: i.groups && i.groups.map(go), extra })).toBe(go(o));
    }
  });
  it("responsewriters.ForbiddenStatusError", () => {
    for (const [i, o] of pairs<Record<string, B | boolean>, Record<string, B>>("forbidden")) {
      const s = (k: string) => go(i[k] as B);
      const st = forbiddenStatus(
        { user: { username: s("User"), uid: "", groups: [], extra: {} }, verb: s("Verb"), namespace: s("Namespace"), group: s("Group"), version: s("Version"),
          resource: s("Resource"), subresource: s("Subresource"), name: s("Name"), path: s("Path"), resourceRequest: i.ResourceRequest as boolean },
        s("Reason"),
      );
      expect(st.message).toBe(visible(go(o.message!)));
      expect(st.details ?? {}).toEqual(Object.fromEntries(["name", "group", "kind"].filter((k) => (o[k] ?? []).length > 0).map((k) => [k, go(o[k]!)])));
    }
  });
  it("%v of []v1.ObjectReference (gate-OFF 400)", () => {
    for (const [i, o] of pairs<Record<string, B>[], B>("objRefs")) {
      const refs = i.map((r) => ({ kind: go(r.Kind!), namespace: go(r.Namespace!), name: go(r.Name!), apiVersion: go(r.APIVersion!), fieldPath: go(r.FieldPath!) }));
      expect(`requested [${refs.map(objectRefV).join(" ")}] without impersonating a user`).toBe(go(o));
    }
  });
});
