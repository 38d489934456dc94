/**
 * SPEC §14: the vocabulary of upstream's filter tests, re-expressed for the oracle so the catalogue in
 * upstream-cases*.ts reads like `constrained_impersonation_test.go` / `impersonation_test.go`: a case is a
 * sequence of `testRequest`s against one fresh filter (caches keep state between steps), each naming the
 * request info, requestor, impersonated user and the expected code, message, user, ordered checks with
 * decisions, and cache contents. The two fake authorizers reproduce upstream's (including the reason
 * `deny by default` that ends up in messages, and the tester's error `works on my machine`).
 */
import type { CheckAttributes, Decision, ImpersonationRequest, SelectorRequirement, UserInfo } from "../core/index.ts";
import type { Authorizer, AuthorizerAnswer, RequestAttributes } from "./authorizer.ts";
import type { FilterRequest } from "./types.ts";

/** request.RequestInfo, the fields the filter reads (selectors already parsed, in SAR shape). */
export interface RequestInfo {
  readonly isResourceRequest: boolean;
  readonly verb: string;
  readonly apiGroup?: string;
  readonly apiVersion?: string;
  readonly resource?: string;
  readonly subresource?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly path?: string;
  readonly fieldSelector?: readonly SelectorRequirement[];
  readonly labelSelector?: readonly SelectorRequirement[];
}

export type AttributesRecord = Omit<CheckAttributes, "user">;

/** filters.GetAuthorizerAttributes without a user (readOnly as AttributesRecord.IsReadOnly). */
export function requestInfoToAttributes(r: RequestInfo): RequestAttributes {
  return {
    verb: r.verb,
    resourceRequest: r.isResourceRequest,
    namespace: r.namespace ?? "",
    group: r.apiGroup ?? "",
    version: r.apiVersion ?? "",
    resource: r.resource ?? "",
    subresource: r.subresource ?? "",
    name: r.name ?? "",
    path: r.path ?? "",
    readOnly: r.verb === "get" || r.verb === "list" || r.verb === "watch",
    ...(r.fieldSelector ? { fieldSelector: r.fieldSelector } : {}),
    ...(r.labelSelector ? { labelSelector: r.labelSelector } : {}),
  };
}

export function filterRequest(r: RequestInfo): FilterRequest {
  return { attributes: requestInfoToAttributes(r), urlPath: r.path ?? "" };
}

function record(r: RequestInfo): AttributesRecord {
  const { readOnly: _r, selectorError: _s, ...a } = requestInfoToAttributes(r);
  return a;
}

export function withImpersonateOnAttributes(r: RequestInfo, mode: string): AttributesRecord {
  const a = record(r);
  return { ...a, verb: `impersonate-on:${mode}:${a.verb}` };
}

interface Partial4 {
  readonly resource: string;
  readonly name: string;
  readonly namespace?: string;
  readonly subresource?: string;
}

const base = (p: Partial4): AttributesRecord => ({
  verb: "",
  resourceRequest: true,
  namespace: p.namespace ?? "",
  group: "",
  version: "",
  resource: p.resource,
  subresource: p.subresource ?? "",
  name: p.name,
  path: "",
});

export function withConstrainedImpersonationAttributes(p: Partial4, mode: string): AttributesRecord {
  return { ...base(p), verb: `impersonate:${mode}`, group: "authentication.k8s.io", version: "v1" };
}

/** The legacy *mode* of the constrained filter: core group for users/groups/SAs, version always v1. */
export function withLegacyImpersonateAttributes(p: Partial4, group = ""): AttributesRecord {
  return { ...base(p), verb: "impersonate", group, version: "v1" };
}

/** The gate-OFF filter: users/groups/serviceaccounts have no apiVersion; uids/userextras authentication.k8s.io/v1. */
export function withGateOffAttributes(p: Partial4): AttributesRecord {
  const auth = p.resource === "uids" || p.resource === "userextras";
  return { ...base(p), verb: "impersonate", group: auth ? "authentication.k8s.io" : "", version: auth ? "v1" : "" };
}

export interface ExpectedCheck {
  readonly attributes: AttributesRecord;
  readonly decision: Decision;
}

export const expectAllow = (attributes: AttributesRecord): ExpectedCheck => ({ attributes, decision: "allow" });
/** Upstream's expectDeny is DecisionNoOpinion. */
export const expectDeny = (attributes: AttributesRecord): ExpectedCheck => ({ attributes, decision: "no-opinion" });

export interface ExpectedOuterEntry {
  readonly wanted: UserInfo;
  readonly requestor: UserInfo;
  readonly request: RequestInfo;
  readonly user: UserInfo;
}

export interface ExpectedInnerEntry {
  readonly wanted: UserInfo;
  readonly requestor: UserInfo;
  readonly user: UserInfo;
}

export interface ExpectedCache {
  /** requestor name → mode verb. */
  readonly modeIdx: Readonly<Record<string, string>>;
  /** mode verb → entries; modes not listed must be empty. */
  readonly modes?: Readonly<Record<string, { readonly outer: readonly ExpectedOuterEntry[]; readonly inner: readonly ExpectedInnerEntry[] }>>;
}

/** What one request must produce under one gate. `undefined` checks/cache = not asserted (upstream does not). */
export interface Expectation {
  readonly expectedCode: 200 | 400 | 403;
  readonly expectedImpersonatedUser?: UserInfo;
  /** Parallel cases compare groups as a set (ElementsMatch). */
  readonly groupsAsSet?: boolean;
  readonly expectedMessage?: string;
  readonly expectedAuthzChecks?: readonly ExpectedCheck[];
  /** null: mode index and every cache empty. */
  readonly expectedCache?: ExpectedCache | null;
  /** "" when denied; the mode name when allowed (legacy included). */
  readonly expectedAttemptMode?: string;
}

export interface TestRequest extends Expectation {
  readonly request: RequestInfo;
  readonly requestor: UserInfo;
  readonly impersonatedUser: ImpersonationRequest;
  /** How the headers are written: client-go's ImpersonatingRoundTripper, or `Impersonate-Extra-<key>` raw. */
  readonly headerStyle?: "client-go" | "raw";
  /** User the checks are made as; default the requestor (associated-node: R'). */
  readonly expectedAttributesUser?: UserInfo;
  /** The gate-OFF filter's expectation for the same request (legacy cases run under both gates). */
  readonly gateOff?: Expectation;
}

export interface UpstreamCase {
  readonly name: string;
  readonly origin: "TestConstrainedImpersonationFilter" | "TestConstrainedImpersonationParallel" | "TestImpersonationFilter";
  /** Kubernetes minor where upstream added the case (the logic is identical in 1.35–1.37). */
  readonly since: "1.35" | "1.36";
  readonly authorizer: Authorizer;
  /** Gates to run under: constrained cases only ON; legacy cases both. */
  readonly gates: readonly boolean[];
  readonly requests: readonly TestRequest[];
}

export const u = (username: string, p: Partial<Omit<UserInfo, "username">> = {}): UserInfo => ({
  username,
  uid: p.uid ?? "",
  groups: p.groups ?? [],
  extra: p.extra ?? {},
});

// client-go transport headerKeyEscape: %-encode (upper-case hex) every byte that is not a token byte, and '%'.
const LEGAL = /^[!#$&'*+\-.^_`|~0-9A-Za-z]$/;
export function headerKeyEscape(key: string): string {
  let out = "";
  for (const b of Buffer.from(key, "utf8")) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && LEGAL.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

/** The wire headers for one impersonation request (as bytes, see go-text.ts wireToGo). */
export function impersonationHeaders(w: ImpersonationRequest, style: "client-go" | "raw" = "client-go"): [string, string][] {
  const h: [string, string][] = [];
  if (w.user) h.push(["Impersonate-User", w.user]);
  if (w.uid) h.push(["Impersonate-Uid", w.uid]);
  for (const g of w.groups ?? []) h.push(["Impersonate-Group", g]);
  for (const [k, vs] of Object.entries(w.extra ?? {})) {
    const name = `Impersonate-Extra-${style === "client-go" ? headerKeyEscape(k) : k}`;
    for (const v of vs) h.push([name, v]);
  }
  return h;
}

const allow: AuthorizerAnswer = { decision: "allow", reason: "", decidedBy: "webhook" };
const denyByDefault: AuthorizerAnswer = { decision: "no-opinion", reason: "deny by default", decidedBy: "none" };

/** constrainedImpersonationTest.Authorize (constrained_impersonation_test.go). */
export const constrainedTestAuthorizer: Authorizer = {
  authorize(a) {
    const name = a.user.username;
    const g0 = a.user.groups[0];
    const { verb, resource, subresource } = a;
    const ui = verb === "impersonate:user-info";
    const rules: boolean[] = [
      name === "sa-impersonater" && verb === "impersonate:serviceaccount" && resource === "serviceaccounts",
      name === "system:serviceaccount:default:node" && verb === "impersonate:arbitrary-node" && resource === "nodes",
      name === "node-impersonater" && verb === "impersonate:arbitrary-node" && resource === "nodes",
      g0 === "associate-node-impersonater" && verb === "impersonate:associated-node" && resource === "nodes",
      name === "user-impersonater" && ui && (resource === "users" || resource === "uids"),
      g0 === "group-impersonater" && ui && resource === "groups",
      g0 === "extra-setter-scopes" && ui && resource === "userextras" && subresource === "pandas.io/scopes",
      name === "legacy-impersonater" && verb === "impersonate",
      // (sic) "legacy-impersonator" is nobody, so every requestor may do any impersonate-on:*get / *list
      name !== "legacy-impersonator" && verb.startsWith("impersonate-on:") && (verb.endsWith("list") || verb.endsWith("get")),
      name === "many-groups-impersonater" && ui && (resource === "users" || (resource === "groups" && a.name === "*")),
      name === "many-extras-impersonater" && ui && (resource === "users" || (resource === "userextras" && subresource === "*" && a.name === "*")),
      name === "mixed-impersonater" && ui && resource === "users",
      name === "mixed-impersonater" && ui && resource === "groups" && a.name !== "*",
      name === "mixed-impersonater" && ui && resource === "userextras" && subresource === "tags.io/env" && a.name !== "*",
    ];
    return rules.some(Boolean) ? allow : denyByDefault;
  },
};

/** impersonateAuthorizer (impersonation_test.go), the legacy-only fake. */
export const legacyTestAuthorizer: Authorizer = {
  authorize(a) {
    const name = a.user.username;
    const [g0, g1] = a.user.groups;
    const imp = a.verb === "impersonate";
    const { resource, subresource, group } = a;
    if (name === "system:admin") return allow;
    if (name === "tester") return { decision: "no-opinion", reason: "", error: "works on my machine", decidedBy: "webhook" };
    if (name === "deny-me") return { decision: "no-opinion", reason: "denied", decidedBy: "webhook" };
    const auth = group === "authentication.k8s.io";
    const rules: boolean[] = [
      g0 === "wheel" && imp && resource === "users",
      g0 === "sa-impersonater" && imp && resource === "serviceaccounts",
      g0 === "regular-impersonater" && imp && resource === "users",
      g1 === "group-impersonater" && imp && resource === "groups",
      g1 === "extra-setter-scopes" && imp && resource === "userextras" && subresource === "scopes",
      g1 === "escaped-scopes" || g1 === "almost-escaped-scopes",
      g1 === "extra-setter-particular-scopes" && imp && resource === "userextras" && subresource === "scopes" && a.name === "scope-a" && auth,
      g1 === "extra-setter-project" && imp && resource === "userextras" && subresource === "project" && auth,
      g0 === "everything-impersonater" && imp && resource === "users" && group === "",
      g0 === "everything-impersonater" && imp && resource === "uids" && a.name === "some-uid" && auth,
      g0 === "everything-impersonater" && imp && resource === "groups" && group === "",
      g0 === "everything-impersonater" && imp && resource === "userextras" && subresource === "scopes" && auth,
    ];
    return rules.some(Boolean) ? allow : denyByDefault;
  },
};
