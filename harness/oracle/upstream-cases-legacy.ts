/**
 * SPEC §14.3 TestImpersonationFilter (impersonation_test.go@v0.36.3): the legacy cases, run against both
 * filters with the legacy-only fake authorizer. Upstream asserts only code and resulting user; the
 * ordered checks and messages below are derived from the code (SPEC §7, §10) for a fresh filter per
 * case. Upstream actually shares one filter across all cases; `legacySharedStateCase` replays that
 * sequence asserting what upstream asserts.
 *
 * Every request is `get pods` at cluster scope with no name; headers are written raw
 * (`Impersonate-Extra-<key>`), as that test does.
 */
import {
  expectAllow as A,
  expectDeny as D,
  legacyTestAuthorizer as authorizer,
  u,
  withGateOffAttributes as off,
  withImpersonateOnAttributes as on,
  withConstrainedImpersonationAttributes as ci,
  withLegacyImpersonateAttributes as legacy,
  type Expectation,
  type RequestInfo,
  type TestRequest,
  type UpstreamCase,
} from "./upstream-helpers.ts";
import type { ImpersonationRequest, UserInfo } from "../core/index.ts";

const getPods: RequestInfo = { isResourceRequest: true, verb: "get", apiVersion: "v1", resource: "pods" };
const c1 = on(getPods, "user-info");
const c1Message = (r: string, reason = "deny by default") =>
  `pods is forbidden: User "${r}" cannot impersonate-on:user-info:get resource "pods" in API group "" at the cluster scope: ${reason}`;
const authd = ["system:authenticated"];
const tester = u("tester");
const admin = u("system:admin");
const dev = (...groups: string[]) => u("dev", { groups });

const scopeAB = { scopes: ["scope-a", "scope-b"] };
const L4 = (key: string, name: string) => legacy({ resource: "userextras", subresource: key, name }, "authentication.k8s.io");
const X4 = (key: string, name: string) => off({ resource: "userextras", subresource: key, name });
const escapedKey = "example.com/escaped\u16c4scopes";
/** The user-info failure those two cases hit before legacy succeeds (not observable there; unit-tested in checks.test.ts). */
export const invalidKeyMessage = (detail: string): string =>
  `userextras.authentication.k8s.io is forbidden: User "dev" cannot impersonate:user-info resource "userextras" in API group "authentication.k8s.io" at the cluster scope: impersonating an invalid key in extra is not allowed: ${detail}`;

interface LegacyRow {
  readonly name: string;
  readonly requestor: UserInfo;
  readonly imp: ImpersonationRequest;
  readonly on: Expectation;
  readonly off: Expectation;
}

const ok = (user: UserInfo, checks: Expectation["expectedAuthzChecks"], mode: string): Expectation => ({
  expectedCode: 200, expectedImpersonatedUser: user, expectedAuthzChecks: checks ?? [], expectedAttemptMode: mode,
});
const no = (message: string, checks: Expectation["expectedAuthzChecks"]): Expectation => ({
  expectedCode: 403, expectedMessage: message, expectedAuthzChecks: checks ?? [], expectedAttemptMode: "",
});
const bad = (message: string): Expectation => ({ expectedCode: 400, expectedMessage: message, expectedAuthzChecks: [] });
const same = (e: Expectation) => ({ on: e, off: e });

const rows: LegacyRow[] = [
  { name: "not-impersonating", requestor: tester, imp: {}, ...same(ok(tester, [], "")) },
  { name: "impersonating-error", requestor: tester, imp: { user: "anyone" },
    on: no(c1Message("tester", "works on my machine"), [D(c1), D(legacy({ resource: "users", name: "anyone" }))]),
    off: no(`users "anyone" is forbidden: User "tester" cannot impersonate resource "users" in API group "" at the cluster scope`, [D(off({ resource: "users", name: "anyone" }))]) },
  { name: "impersonating-group-without-user", requestor: tester, imp: { groups: ["some-group"] },
    on: bad(`requested &user.DefaultInfo{Name:"", UID:"", Groups:[]string{"some-group"}, Extra:map[string][]string(nil)} without impersonating a user name`),
    off: bad(`requested [{Group  some-group    }] without impersonating a user`) },
  { name: "impersonating-extra-without-user", requestor: tester, imp: { extra: { scopes: ["scope-a"] } },
    on: bad(`requested &user.DefaultInfo{Name:"", UID:"", Groups:[]string(nil), Extra:map[string][]string{"scopes":[]string{"scope-a"}}} without impersonating a user name`),
    off: bad(`requested [{UserExtra  scope-a  authentication.k8s.io/v1  scopes}] without impersonating a user`) },
  { name: "impersonating-uid-without-user", requestor: tester, imp: { uid: "some-uid" },
    on: bad(`requested &user.DefaultInfo{Name:"", UID:"some-uid", Groups:[]string(nil), Extra:map[string][]string(nil)} without impersonating a user name`),
    off: bad(`requested [{UID  some-uid  authentication.k8s.io/v1  }] without impersonating a user`) },
  ...(["disallowed-group", "disallowed-userextra-1", "disallowed-userextra-2", "disallowed-userextra-3"] as const).map((name, i): LegacyRow => {
    const groups = [["wheel"], ["wheel"], ["wheel", "extra-setter-project"], ["wheel", "extra-setter-particular-scopes"]][i]!;
    const extra = [undefined, { scopes: ["scope-a"] }, { scopes: ["scope-a"] }, scopeAB][i];
    return {
      name, requestor: dev(...groups), imp: { user: "system:admin", groups: ["some-group"], ...(extra ? { extra } : {}) },
      on: no(c1Message("dev"), [D(c1), A(legacy({ resource: "users", name: "system:admin" })), D(legacy({ resource: "groups", name: "some-group" }))]),
      off: no(`groups "some-group" is forbidden: User "dev" cannot impersonate resource "groups" in API group "" at the cluster scope: deny by default`,
        [A(off({ resource: "users", name: "system:admin" })), D(off({ resource: "groups", name: "some-group" }))]),
    };
  }),
  { name: "allowed-group", requestor: dev("wheel", "group-impersonater"), imp: { user: "system:admin", groups: ["some-group"] },
    on: ok(u("system:admin", { groups: ["some-group", ...authd] }), [D(c1), A(legacy({ resource: "users", name: "system:admin" })), A(legacy({ resource: "groups", name: "some-group" }))], "legacy"),
    off: ok(u("system:admin", { groups: ["some-group", ...authd] }), [A(off({ resource: "users", name: "system:admin" })), A(off({ resource: "groups", name: "some-group" }))], "legacy") },
  { name: "allowed-userextras", requestor: dev("wheel", "extra-setter-scopes"), imp: { user: "system:admin", extra: scopeAB },
    on: ok(u("system:admin", { groups: authd, extra: scopeAB }), [D(c1), A(legacy({ resource: "users", name: "system:admin" })), A(L4("scopes", "scope-a")), A(L4("scopes", "scope-b"))], "legacy"),
    off: ok(u("system:admin", { groups: authd, extra: scopeAB }), [A(off({ resource: "users", name: "system:admin" })), A(X4("scopes", "scope-a")), A(X4("scopes", "scope-b"))], "legacy") },
  ...([
    ["percent-escaped-userextras", "escaped-scopes", "example.com%2fescaped%e1%9b%84scopes", escapedKey,
      `extra.key: Invalid value: "escaped\u16c4scopes": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`],
    ["almost-percent-escaped-userextras", "almost-escaped-scopes", "almost%zzpercent%xxencoded", "almost%zzpercent%xxencoded",
      `extra.key: Invalid value: "almost%zzpercent%xxencoded": must be a domain-prefixed path (such as "acme.io/foo")`],
  ] as const).map(([name, group, rawKey, key]): LegacyRow => {
    const user = u("system:admin", { groups: authd, extra: { [key]: ["scope-a", "scope-b"] } });
    return {
      name, requestor: dev("wheel", group), imp: { user: "system:admin", extra: { [rawKey]: ["scope-a", "scope-b"] } },
      // C1 and U1 pass (this group may do anything), the user-info key validation fails, legacy succeeds.
      on: ok(user, [A(c1), A(ci({ resource: "users", name: "system:admin" }, "user-info")), A(legacy({ resource: "users", name: "system:admin" })), A(L4(key, "scope-a")), A(L4(key, "scope-b"))], "legacy"),
      off: ok(user, [A(off({ resource: "users", name: "system:admin" })), A(X4(key, "scope-a")), A(X4(key, "scope-b"))], "legacy"),
    };
  }),
  { name: "allowed-users-impersonation", requestor: dev("regular-impersonater"), imp: { user: "tester" },
    on: ok(u("tester", { groups: authd }), [D(c1), A(legacy({ resource: "users", name: "tester" }))], "legacy"),
    off: ok(u("tester", { groups: authd }), [A(off({ resource: "users", name: "tester" }))], "legacy") },
  { name: "disallowed-impersonating", requestor: dev("sa-impersonater"), imp: { user: "tester" },
    on: no(c1Message("dev"), [D(c1), D(legacy({ resource: "users", name: "tester" }))]),
    off: no(`users "tester" is forbidden: User "dev" cannot impersonate resource "users" in API group "" at the cluster scope: deny by default`, [D(off({ resource: "users", name: "tester" }))]) },
  { name: "allowed-sa-impersonating", requestor: dev("sa-impersonater"), imp: { user: "system:serviceaccount:foo:default" },
    on: ok(u("system:serviceaccount:foo:default", { groups: ["system:serviceaccounts", "system:serviceaccounts:foo", ...authd] }),
      [D(on(getPods, "serviceaccount")), A(legacy({ resource: "serviceaccounts", namespace: "foo", name: "default" }))], "legacy"),
    off: ok(u("system:serviceaccount:foo:default", { groups: ["system:serviceaccounts", "system:serviceaccounts:foo", ...authd] }),
      [A(off({ resource: "serviceaccounts", namespace: "foo", name: "default" }))], "legacy") },
  ...([
    ["anonymous-username-prevents-adding-authenticated-group", "system:anonymous", [], ["system:unauthenticated"]],
    ["unauthenticated-group-prevents-adding-authenticated-group", "unknown", ["system:unauthenticated"], ["system:unauthenticated"]],
    ["unauthenticated-group-prevents-double-adding-authenticated-group", "unknown", ["system:authenticated"], ["system:authenticated"]],
    ["anonymous-user-should-include-unauthenticated-group", "system:anonymous", [], ["system:unauthenticated"]],
    ["anonymous-user-prevents-double-adding-unauthenticated-group", "system:anonymous", ["system:unauthenticated"], ["system:unauthenticated"]],
  ] as const).map(([name, user, groups, result]): LegacyRow => ({
    name, requestor: admin, imp: { user, groups: [...groups] },
    on: ok(u(user, { groups: [...result] }), [A(c1), A(ci({ resource: "users", name: user }, "user-info")), ...groups.map((g) => A(ci({ resource: "groups", name: g }, "user-info")))], "user-info"),
    off: ok(u(user, { groups: [...result] }), [A(off({ resource: "users", name: user })), ...groups.map((g) => A(off({ resource: "groups", name: g })))], "legacy"),
  })),
  { name: "specified-authenticated-group-prevents-double-adding-authenticated-group", requestor: dev("wheel", "group-impersonater"),
    imp: { user: "system:admin", groups: ["some-group", "system:authenticated"] },
    on: ok(u("system:admin", { groups: ["some-group", ...authd] }),
      [D(c1), A(legacy({ resource: "users", name: "system:admin" })), A(legacy({ resource: "groups", name: "some-group" })), A(legacy({ resource: "groups", name: "system:authenticated" }))], "legacy"),
    off: ok(u("system:admin", { groups: ["some-group", ...authd] }),
      [A(off({ resource: "users", name: "system:admin" })), A(off({ resource: "groups", name: "some-group" })), A(off({ resource: "groups", name: "system:authenticated" }))], "legacy") },
  { name: "allowed-user-impersonation-with-uid", requestor: dev("everything-impersonater"), imp: { user: "tester", uid: "some-uid" },
    on: ok(u("tester", { uid: "some-uid", groups: authd }), [D(c1), A(legacy({ resource: "users", name: "tester" })), A(legacy({ resource: "uids", name: "some-uid" }, "authentication.k8s.io"))], "legacy"),
    off: ok(u("tester", { uid: "some-uid", groups: authd }), [A(off({ resource: "users", name: "tester" })), A(off({ resource: "uids", name: "some-uid" }))], "legacy") },
  { name: "disallowed-user-impersonation-with-uid", requestor: dev("everything-impersonater"), imp: { user: "tester", uid: "disallowed-uid" },
    on: no(c1Message("dev"), [D(c1), A(legacy({ resource: "users", name: "tester" })), D(legacy({ resource: "uids", name: "disallowed-uid" }, "authentication.k8s.io"))]),
    off: no(`uids.authentication.k8s.io "disallowed-uid" is forbidden: User "dev" cannot impersonate resource "uids" in API group "authentication.k8s.io" at the cluster scope: deny by default`,
      [A(off({ resource: "users", name: "tester" })), D(off({ resource: "uids", name: "disallowed-uid" }))]) },
  { name: "allowed-impersonation-with-all-headers", requestor: dev("everything-impersonater"),
    imp: { user: "tester", uid: "some-uid", groups: ["system:authenticated"], extra: scopeAB },
    on: ok(u("tester", { uid: "some-uid", groups: authd, extra: scopeAB }), [D(c1), A(legacy({ resource: "users", name: "tester" })),
      A(legacy({ resource: "uids", name: "some-uid" }, "authentication.k8s.io")), A(legacy({ resource: "groups", name: "system:authenticated" })),
      A(L4("scopes", "scope-a")), A(L4("scopes", "scope-b"))], "legacy"),
    off: ok(u("tester", { uid: "some-uid", groups: authd, extra: scopeAB }), [A(off({ resource: "users", name: "tester" })),
      A(off({ resource: "groups", name: "system:authenticated" })), A(X4("scopes", "scope-a")), A(X4("scopes", "scope-b")), A(off({ resource: "uids", name: "some-uid" }))], "legacy") },
];

const toRequest = (r: LegacyRow, on: Expectation, off: Expectation): TestRequest => ({
  request: getPods, requestor: r.requestor, impersonatedUser: r.imp, headerStyle: "raw", ...on, gateOff: off,
});

export const legacyFilterCases: readonly UpstreamCase[] = rows.map((r) => ({
  name: r.name, origin: "TestImpersonationFilter", since: "1.35", authorizer, gates: [true, false], requests: [toRequest(r, r.on, r.off)],
}));

/** Upstream's real setup: one filter for all cases in order; it asserts code and user only. */
const codeAndUser = (e: Expectation): Expectation => ({
  expectedCode: e.expectedCode, ...(e.expectedImpersonatedUser ? { expectedImpersonatedUser: e.expectedImpersonatedUser } : {}),
});
export const legacySharedStateCase: UpstreamCase = {
  name: "TestImpersonationFilter-shared-filter", origin: "TestImpersonationFilter", since: "1.35", authorizer, gates: [true, false],
  requests: rows.map((r) => toRequest(r, codeAndUser(r.on), codeAndUser(r.off))),
};
