/**
 * Regenerates go-vectors.json: inputs made here (fixed seed), outputs computed by the real Go and
 * Kubernetes code (go-vectors/main.go: strconv.Quote, textproto.CanonicalMIMEHeaderKey,
 * url.PathUnescape, apimachinery IsDomainPrefixedPath / NameIsDNSSubdomain, serviceaccount.SplitUsername,
 * fmt %#v of *user.DefaultInfo, responsewriters.ForbiddenStatusError, %v of []v1.ObjectReference).
 *
 *   cd harness/oracle/testdata/go-vectors && go mod init impfuzz.dev/govectors &&
 *   go get k8s.io/apiserver@v0.37.2 k8s.io/api@v0.37.2 && go build -o /tmp/govec . && cd - &&
 *   GOVEC=/tmp/govec npx tsx harness/oracle/testdata/gen-go-vectors.ts
 * (then delete the go.mod/go.sum it created; they are not kept in this repository).
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";

const enc = (s: string): number[] => [...Buffer.from(s, "utf8")];
const tok = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const seed = 5284;
const sample = <T>(arb: fc.Arbitrary<T>, n: number, s = seed): T[] => fc.sample(arb, { seed: s, numRuns: n });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => [...b]);
const tokenString = fc.string({ unit: fc.constantFrom(...tok), maxLength: 24 });
const pathish = fc.string({ unit: fc.constantFrom(..."abcAZ09.-/_~%!$&'()*+,;=: é", "ᛄ", "%2f", "%2F", "%e1%9b%84", "%zz"), maxLength: 30 });
const dns = fc.string({ unit: fc.constantFrom(..."ab09.-:Z_"), maxLength: 20 });

const quote = [
  "", "plain", 'q"uote\\back', "\x00\x07\b\f\n\r\t\v\x1b\x7f", "é ᛄ 😀 \u00a0 \u200b \ufeff \ue000 \ufffd \u{2ebf0} \u{1fae9} \u0085",
].map(enc).concat([[0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82, 0x41]], sample(bytes(12), 150));
const canonical = ["impersonate-extra-foo", "IMPERSONATE-EXTRA-FOO%2FBAR", "a b", "x_y", "-a", "a--b", "Impersonate-Extra-", "impersonate-extra-a b"]
  .map(enc).concat(sample(tokenString, 60).map(enc));
const unescape = ["Example.com%2Fscopes", "%zz", "%4", "%", "%41%4a", "+%20", "a%2fb%2F", "example.com%2fescaped%e1%9b%84scopes", "almost%zzpercent%xxencoded", "%ff%fe"]
  .map(enc).concat(sample(fc.string({ unit: fc.constantFrom(..."aZ.-_", "%2f", "%41", "%ff", "%", "%g1"), maxLength: 12 }), 60).map(enc));
const longHost = `${"a".repeat(250)}.com`;
const domainPath = [
  "scopes", "acme.com", "example.com/scopes", "Example.com/x", "example.com/", "/x", "a..b/x", "-a/x", `${longHost}/x`, `${longHost}é/x`,
  "example.com/a b", "example.com/escapedᛄscopes", "a/b/c", "A/b", "a_b/c", "example.com/A", "a-/x y", "é/é",
].map(enc).concat([[0x61, 0x2f, 0xff]], sample(pathish, 80).map(enc));
const names = ["system:serviceaccount:ns:name", "system:serviceaccount:ns", "system:serviceaccount:ns:a:b", "system:serviceaccount::x", "system:serviceaccount:NS:x",
  "system:serviceaccount:a.b:x", "system:serviceaccount:ns:a.b", `system:serviceaccount:${"a".repeat(64)}:x`, `system:serviceaccount:x:${"a".repeat(254)}`];
const splitSA = names.map(enc).concat(sample(dns, 40).map((s) => enc(`system:serviceaccount:${s}`)));
const nodeName = ["node1", "Node1", "", "a:b", "a.b", "a..b", "-a", "a-", "a".repeat(253), "a".repeat(254), "é"].map(enc).concat(sample(dns, 40).map(enc));
const hex = (b: number[]) => Buffer.from(b).toString("hex");
const sharpV = [
  { name: [], uid: [], groups: [enc("some-group")], extra: null },
  { name: [], uid: enc("some-uid"), groups: null, extra: null },
  { name: [], uid: [], groups: null, extra: { [hex(enc("scopes"))]: [enc("scope-a")] } },
  { name: [], uid: [], groups: [enc(""), enc('a"b')], extra: { [hex(enc("b"))]: [enc("1"), enc("2")], [hex(enc("a"))]: [enc("")], [hex([0xff])]: [[0xfe]], [hex(enc("é"))]: [enc("ᛄ")] } },
];
const forbidden = [
  { User: "sa", Verb: "impersonate-on:user-info:get", Namespace: "bar", Group: "", Version: "v1", Resource: "pods", Subresource: "", Name: "foo", Path: "", ResourceRequest: true, Reason: "" },
  { User: "u<&>", Verb: "get", Namespace: "", Group: "", Version: "", Resource: "", Subresource: "", Name: "", Path: "/a<b>&c", ResourceRequest: false, Reason: "r<&>" },
  { User: 'q"u', Verb: "impersonate:user-info", Namespace: "", Group: "authentication.k8s.io", Version: "v1", Resource: "userextras", Subresource: "k/é", Name: "v\n", Path: "", ResourceRequest: true, Reason: "x: y" },
  { User: "r", Verb: "list", Namespace: "ns", Group: "apps", Version: "v1", Resource: "deployments", Subresource: "scale", Name: "", Path: "", ResourceRequest: true, Reason: "" },
].map((f) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, typeof v === "string" ? enc(v) : v])));
const ref = (Kind: string, Name: string, APIVersion = "", FieldPath = "") => ({ Kind: enc(Kind), Namespace: [], Name: enc(Name), APIVersion: enc(APIVersion), FieldPath: enc(FieldPath) });
const objRefs = [
  [ref("Group", "some-group")],
  [ref("UserExtra", "scope-a", "authentication.k8s.io/v1", "scopes")],
  [ref("UID", "some-uid", "authentication.k8s.io/v1")],
  [ref("Group", "g1"), ref("Group", ""), ref("UserExtra", "v", "authentication.k8s.io/v1", "k"), ref("UID", "u", "authentication.k8s.io/v1")],
];

const input = { quote, canonical, unescape, domainPath, splitSA, nodeName, sharpV, forbidden, objRefs };
const govec = process.env.GOVEC ?? "/tmp/govec";
const output = JSON.parse(execFileSync(govec, { input: JSON.stringify(input), maxBuffer: 1 << 26 }).toString());
writeFileSync(fileURLToPath(new URL("./go-vectors.json", import.meta.url)), `${JSON.stringify({ generatedBy: "go1.26.8, k8s.io/* v0.37.2", input, output })}\n`);
