/**
 * SPEC §14.1 TestConstrainedImpersonationFilter (every case, 1.35 and 1.36) and §14.2
 * TestConstrainedImpersonationParallel (as sequential equivalents asserting what upstream asserts: code,
 * and for 200 the name and the groups as a set). Expectations transcribed from
 * kubernetes/apiserver:pkg/endpoints/filters/impersonation/constrained_impersonation_test.go@v0.36.3.
 */
import { constrainedTestAuthorizer as authorizer } from "./upstream-helpers.ts";
import {
  expectAllow,
  expectDeny,
  u,
  withConstrainedImpersonationAttributes as ci,
  withImpersonateOnAttributes as on,
  withLegacyImpersonateAttributes as legacy,
  type RequestInfo,
  type TestRequest,
  type UpstreamCase,
} from "./upstream-helpers.ts";

const getPod: RequestInfo = { isResourceRequest: true, verb: "get", apiVersion: "v1", resource: "pods", name: "foo", namespace: "bar" };
const getAnotherPod: RequestInfo = { ...getPod, name: "foo1", namespace: "bar1" };
const createPod: RequestInfo = { ...getPod, verb: "create" };
const getDeployment: RequestInfo = { ...getPod, apiGroup: "apps", resource: "deployments" };
const getSecret: RequestInfo = { ...getPod, resource: "secrets" };

const authd = ["system:authenticated"];
const anyone = u("anyone");
const anyoneAuthenticated = u("anyone", { groups: authd });
const saUser = u("system:serviceaccount:default:default");
const saGroups = ["system:serviceaccounts", "system:serviceaccounts:default", "system:authenticated"];
const saUserAuthenticated = u(saUser.username, { groups: saGroups });
const nodeUser = u("system:node:node1");
const nodeUserAuthenticated = u("system:node:node1", { groups: ["system:nodes", "system:authenticated"] });
const userImpersonator = u("user-impersonater");
const saImpersonator = u("sa-impersonater");
const nodeImpersonator = u("node-impersonater");
const imp = (w: typeof anyone) => ({ user: w.username, uid: w.uid, groups: w.groups, extra: w.extra });

const userInfoCache = (requestor: typeof anyone, wanted: typeof anyone, user: typeof anyone, requests: RequestInfo[]) => ({
  modeIdx: { [requestor.username]: "impersonate:user-info" },
  modes: {
    "impersonate:user-info": {
      outer: requests.map((request) => ({ wanted, requestor, request, user })),
      inner: [{ wanted, requestor, user }],
    },
  },
});

// ---- allowed-associate-node (associatedNodeTestCase) ----
const nodeNameKey = "authentication.kubernetes.io/node-name";
const saOn = (node: string) => u("system:serviceaccount:default:default", { groups: ["associate-node-impersonater"], extra: { [nodeNameKey]: [node] } });
const saOnAnyNode = u("system:serviceaccount:default:default", {
  groups: ["associate-node-impersonater"],
  extra: { "authentication.kubernetes.io/associated-node-keys": [nodeNameKey] },
});
const node1Full = nodeUserAuthenticated;
const node2Full = u("system:node:node2", { groups: ["system:nodes", "system:authenticated"] });
const anyNode = u("system:node:*");
const onlyNode1 = {
  modeIdx: { "system:serviceaccount:default:default": "impersonate:associated-node" },
  modes: {
    "impersonate:associated-node": {
      outer: [{ wanted: anyNode, requestor: saOnAnyNode, request: getSecret, user: node1Full }],
      inner: [{ wanted: anyNode, requestor: saOnAnyNode, user: node1Full }],
    },
  },
};
const multiple = {
  modeIdx: onlyNode1.modeIdx,
  modes: {
    "impersonate:associated-node": {
      // the pod request was made on node2, but the inner cache held node1's user
      outer: [...onlyNode1.modes["impersonate:associated-node"].outer, { wanted: anyNode, requestor: saOnAnyNode, request: getPod, user: node1Full }],
      inner: onlyNode1.modes["impersonate:associated-node"].inner,
    },
  },
};
const nodeN2 = ci({ resource: "nodes", name: "*" }, "associated-node");
const associatedNode: TestRequest[] = [
  {
    request: getSecret, requestor: saOn("node1"), impersonatedUser: { user: "system:node:node1" },
    expectedImpersonatedUser: node1Full, expectedAttributesUser: saOnAnyNode,
    expectedAuthzChecks: [expectAllow(on(getSecret, "associated-node")), expectAllow(nodeN2)],
    expectedCache: onlyNode1, expectedCode: 200, expectedAttemptMode: "associated-node",
  },
  {
    request: getSecret, requestor: saOn("node2"), impersonatedUser: { user: "system:node:node2" },
    expectedImpersonatedUser: node2Full, expectedAttributesUser: saOnAnyNode,
    expectedAuthzChecks: [], expectedCache: onlyNode1, expectedCode: 200, expectedAttemptMode: "associated-node",
  },
  {
    request: getSecret, requestor: saOn("node2"), impersonatedUser: { user: "system:node:node1" },
    expectedMessage: `nodes.authentication.k8s.io "node1" is forbidden: User "system:serviceaccount:default:default" cannot impersonate:arbitrary-node resource "nodes" in API group "authentication.k8s.io" at the cluster scope: deny by default`,
    expectedAuthzChecks: [
      expectAllow(on(getSecret, "arbitrary-node")),
      expectDeny(ci({ resource: "nodes", name: "node1" }, "arbitrary-node")),
      expectDeny(legacy({ resource: "users", name: "system:node:node1" })),
    ],
    expectedCache: onlyNode1, expectedCode: 403, expectedAttemptMode: "",
  },
  {
    request: getPod, requestor: saOn("node2"), impersonatedUser: { user: "system:node:node2" },
    expectedImpersonatedUser: node2Full, expectedAttributesUser: saOnAnyNode,
    expectedAuthzChecks: [expectAllow(on(getPod, "associated-node"))], // inner cache hit
    expectedCache: multiple, expectedCode: 200, expectedAttemptMode: "associated-node",
  },
  {
    request: getPod, requestor: saOn("node1"), impersonatedUser: { user: "system:node:node1" },
    expectedImpersonatedUser: node1Full, expectedAuthzChecks: [], expectedCache: multiple, expectedCode: 200, expectedAttemptMode: "associated-node",
  },
];

const extrasUser = u("system:admin", { extra: { "pandas.io/scopes": ["scope-a", "scope-b", "5", "4", "3", "2", "1"] } });
const extrasUserAuthenticated = { ...extrasUser, groups: authd };
const scopesRequestor = u("user-impersonater", { groups: ["extra-setter-scopes"] });
const fourKeys = Object.fromEntries([1, 2, 3, 4].map((i) => [`scopes.example.com/key${i}`, [`val${i}`]]));
const frank = u("frank", { groups: ["dev", "ops", "security", "audit"], extra: { "tags.io/env": ["prod", "staging", "dev"] } });
const frankAuthenticated = { ...frank, groups: [...frank.groups, "system:authenticated"] };
const bob4 = u("bob", { groups: ["group1", "group2", "group3", "group4"] });
const bob4Authenticated = { ...bob4, groups: [...bob4.groups, "system:authenticated"] };
const alice4 = u("alice", { extra: fourKeys });
const uidRequestor = u("user-impersonater", { uid: "requestor-uid-123" });
const anyoneUid = u("anyone", { uid: "wanted-uid-456" });
const podStatus: RequestInfo = { ...getPod, subresource: "status" };
const healthz: RequestInfo = { isResourceRequest: false, verb: "get", path: "/healthz" };
const listSelected: RequestInfo = {
  isResourceRequest: true, verb: "list", apiVersion: "v1", resource: "pods", namespace: "bar",
  fieldSelector: [{ key: "spec.nodeName", operator: "In", values: ["node1"] }],
  labelSelector: [{ key: "app", operator: "In", values: ["web"] }],
};
const legacyImpersonater = u("legacy-impersonater");

export const constrainedFilterCases: readonly UpstreamCase[] = [
  { name: "impersonating-error", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: u("tester"), impersonatedUser: imp(anyone),
    expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectDeny(ci({ resource: "users", name: "anyone" }, "user-info")), expectDeny(legacy({ resource: "users", name: "anyone" }))],
    expectedCache: null, expectedCode: 403, expectedAttemptMode: "",
    expectedMessage: `users.authentication.k8s.io "anyone" is forbidden: User "tester" cannot impersonate:user-info resource "users" in API group "authentication.k8s.io" at the cluster scope: deny by default`,
  }] },
  { name: "impersonating-user-get-allowed-create-disallowed", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [
    {
      request: getPod, requestor: userImpersonator, impersonatedUser: imp(anyone), expectedImpersonatedUser: anyoneAuthenticated,
      expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectAllow(ci({ resource: "users", name: "anyone" }, "user-info"))],
      expectedCache: userInfoCache(userImpersonator, anyone, anyoneAuthenticated, [getPod]), expectedCode: 200, expectedAttemptMode: "user-info",
    },
    {
      request: getAnotherPod, requestor: userImpersonator, impersonatedUser: imp(anyone), expectedImpersonatedUser: anyoneAuthenticated,
      expectedAuthzChecks: [expectAllow(on(getAnotherPod, "user-info"))],
      expectedCache: userInfoCache(userImpersonator, anyone, anyoneAuthenticated, [getPod, getAnotherPod]), expectedCode: 200, expectedAttemptMode: "user-info",
    },
    {
      request: createPod, requestor: userImpersonator, impersonatedUser: imp(anyone),
      expectedAuthzChecks: [expectDeny(on(createPod, "user-info")), expectDeny(legacy({ resource: "users", name: "anyone" }))],
      expectedCache: userInfoCache(userImpersonator, anyone, anyoneAuthenticated, [getPod, getAnotherPod]), expectedCode: 403, expectedAttemptMode: "",
      expectedMessage: `pods "foo" is forbidden: User "user-impersonater" cannot impersonate-on:user-info:create resource "pods" in API group "" in the namespace "bar": deny by default`,
    },
  ] },
  { name: "impersonating-sa-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: saImpersonator, impersonatedUser: imp(saUser), expectedImpersonatedUser: saUserAuthenticated,
    expectedAuthzChecks: [expectAllow(on(getPod, "serviceaccount")), expectAllow(ci({ resource: "serviceaccounts", namespace: "default", name: "default" }, "serviceaccount"))],
    expectedCache: {
      modeIdx: { "sa-impersonater": "impersonate:serviceaccount" },
      modes: { "impersonate:serviceaccount": {
        outer: [{ wanted: saUser, requestor: saImpersonator, request: getPod, user: saUserAuthenticated }],
        inner: [{ wanted: saUser, requestor: saImpersonator, user: saUserAuthenticated }],
      } },
    },
    expectedCode: 200, expectedAttemptMode: "serviceaccount",
  }] },
  { name: "impersonating-node-not-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: saImpersonator, impersonatedUser: imp(nodeUser),
    expectedAuthzChecks: [expectAllow(on(getPod, "arbitrary-node")), expectDeny(ci({ resource: "nodes", name: "node1" }, "arbitrary-node")), expectDeny(legacy({ resource: "users", name: "system:node:node1" }))],
    expectedCache: null, expectedCode: 403, expectedAttemptMode: "",
    expectedMessage: `nodes.authentication.k8s.io "node1" is forbidden: User "sa-impersonater" cannot impersonate:arbitrary-node resource "nodes" in API group "authentication.k8s.io" at the cluster scope: deny by default`,
  }] },
  { name: "impersonating-node-not-allowed-action", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: createPod, requestor: nodeImpersonator, impersonatedUser: imp(nodeUser),
    expectedAuthzChecks: [expectDeny(on(createPod, "arbitrary-node")), expectDeny(legacy({ resource: "users", name: "system:node:node1" }))],
    expectedCache: null, expectedCode: 403, expectedAttemptMode: "",
    expectedMessage: `pods "foo" is forbidden: User "node-impersonater" cannot impersonate-on:arbitrary-node:create resource "pods" in API group "" in the namespace "bar": deny by default`,
  }] },
  { name: "impersonating-node-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: nodeImpersonator, impersonatedUser: imp(nodeUser), expectedImpersonatedUser: nodeUserAuthenticated,
    expectedAuthzChecks: [expectAllow(on(getPod, "arbitrary-node")), expectAllow(ci({ resource: "nodes", name: "node1" }, "arbitrary-node"))],
    expectedCache: {
      modeIdx: { "node-impersonater": "impersonate:arbitrary-node" },
      modes: { "impersonate:arbitrary-node": {
        outer: [{ wanted: nodeUser, requestor: nodeImpersonator, request: getPod, user: nodeUserAuthenticated }],
        inner: [{ wanted: nodeUser, requestor: nodeImpersonator, user: nodeUserAuthenticated }],
      } },
    },
    expectedCode: 200, expectedAttemptMode: "arbitrary-node",
  }] },
  { name: "disallowed-userextra-3", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: u("user-impersonater", { groups: ["group-impersonater"] }),
    impersonatedUser: { user: "system:admin", groups: ["extra-setter-scopes"], extra: { "pandas.io/scopes": ["scope-a", "scope-b"] } },
    expectedAuthzChecks: [
      expectAllow(on(getPod, "user-info")),
      expectAllow(ci({ resource: "users", name: "system:admin" }, "user-info")),
      expectAllow(ci({ resource: "groups", name: "extra-setter-scopes" }, "user-info")),
      expectDeny(ci({ resource: "userextras", subresource: "pandas.io/scopes", name: "scope-a" }, "user-info")),
      expectDeny(legacy({ resource: "users", name: "system:admin" })),
    ],
    expectedCache: null, expectedCode: 403, expectedAttemptMode: "",
    expectedMessage: `userextras.authentication.k8s.io "scope-a" is forbidden: User "user-impersonater" cannot impersonate:user-info resource "userextras/pandas.io/scopes" in API group "authentication.k8s.io" at the cluster scope: deny by default`,
  }] },
  { name: "allowed-userextras", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: scopesRequestor, impersonatedUser: imp(extrasUser), expectedImpersonatedUser: extrasUserAuthenticated,
    expectedAuthzChecks: [
      expectAllow(on(getPod, "user-info")),
      expectAllow(ci({ resource: "users", name: "system:admin" }, "user-info")),
      expectDeny(ci({ resource: "userextras", subresource: "*", name: "*" }, "user-info")),
      ...["scope-a", "scope-b", "5", "4", "3", "2", "1"].map((name) => expectAllow(ci({ resource: "userextras", subresource: "pandas.io/scopes", name }, "user-info"))),
    ],
    expectedCache: userInfoCache(scopesRequestor, extrasUser, extrasUserAuthenticated, [getPod]), expectedCode: 200, expectedAttemptMode: "user-info",
  }] },
  { name: "allowed-associate-node", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: associatedNode },
  { name: "disallowed-associate-node-without-sa", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: u("user-impersonater", { groups: ["associate-node-impersonater"], extra: { [nodeNameKey]: ["node1"] } }),
    impersonatedUser: { user: "system:node:node1" },
    expectedAuthzChecks: [expectAllow(on(getPod, "arbitrary-node")), expectDeny(ci({ resource: "nodes", name: "node1" }, "arbitrary-node")), expectDeny(legacy({ resource: "users", name: "system:node:node1" }))],
    expectedCache: null, expectedCode: 403, expectedAttemptMode: "",
    expectedMessage: `nodes.authentication.k8s.io "node1" is forbidden: User "user-impersonater" cannot impersonate:arbitrary-node resource "nodes" in API group "authentication.k8s.io" at the cluster scope: deny by default`,
  }] },
  { name: "allowed-legacy-impersonator", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [{
    request: getPod, requestor: legacyImpersonater, impersonatedUser: { user: "system:admin" }, expectedImpersonatedUser: u("system:admin", { groups: authd }),
    expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectDeny(ci({ resource: "users", name: "system:admin" }, "user-info")), expectAllow(legacy({ resource: "users", name: "system:admin" }))],
    expectedCache: { modeIdx: { "legacy-impersonater": "impersonate" } }, expectedCode: 200, expectedAttemptMode: "legacy",
  }] },
  { name: "system:masters-group-not-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [{
    request: getPod, requestor: userImpersonator, impersonatedUser: { user: "admin-user", groups: ["system:masters"] },
    expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectAllow(ci({ resource: "users", name: "admin-user" }, "user-info")), expectDeny(legacy({ resource: "users", name: "admin-user" }))],
    expectedCache: null, expectedCode: 403, expectedAttemptMode: "",
    expectedMessage: `groups.authentication.k8s.io "system:masters" is forbidden: User "user-impersonater" cannot impersonate:user-info resource "groups" in API group "authentication.k8s.io" at the cluster scope: impersonating the system:masters group is not allowed`,
  }] },
  { name: "many-groups-wildcard-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [{
    request: getPod, requestor: u("many-groups-impersonater"), impersonatedUser: imp(bob4), expectedImpersonatedUser: bob4Authenticated,
    expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectAllow(ci({ resource: "users", name: "bob" }, "user-info")), expectAllow(ci({ resource: "groups", name: "*" }, "user-info"))],
    expectedCache: userInfoCache(u("many-groups-impersonater"), bob4, bob4Authenticated, [getPod]), expectedCode: 200, expectedAttemptMode: "user-info",
  }] },
  { name: "many-extras-wildcard-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [{
    request: getPod, requestor: u("many-extras-impersonater"), impersonatedUser: imp(alice4), expectedImpersonatedUser: { ...alice4, groups: authd },
    expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectAllow(ci({ resource: "users", name: "alice" }, "user-info")), expectAllow(ci({ resource: "userextras", subresource: "*", name: "*" }, "user-info"))],
    expectedCache: userInfoCache(u("many-extras-impersonater"), alice4, { ...alice4, groups: authd }, [getPod]), expectedCode: 200, expectedAttemptMode: "user-info",
  }] },
  { name: "mixed-groups-extras-wildcard-denied-individuals-allowed", origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [{
    request: getPod, requestor: u("mixed-impersonater"), impersonatedUser: imp(frank), expectedImpersonatedUser: frankAuthenticated,
    expectedAuthzChecks: [
      expectAllow(on(getPod, "user-info")),
      expectAllow(ci({ resource: "users", name: "frank" }, "user-info")),
      expectDeny(ci({ resource: "groups", name: "*" }, "user-info")),
      ...frank.groups.map((name) => expectAllow(ci({ resource: "groups", name }, "user-info"))),
      ...["prod", "staging", "dev"].map((name) => expectAllow(ci({ resource: "userextras", subresource: "tags.io/env", name }, "user-info"))),
    ],
    expectedCache: userInfoCache(u("mixed-impersonater"), frank, frankAuthenticated, [getPod]), expectedCode: 200, expectedAttemptMode: "user-info",
  }] },
  { name: "continuous-same-allowed-user-requests", origin: "TestConstrainedImpersonationFilter", since: "1.35", authorizer, gates: [true], requests: [0, 1].map((i) => ({
    request: getDeployment, requestor: userImpersonator, impersonatedUser: { user: "bob" }, expectedImpersonatedUser: u("bob", { groups: authd }),
    expectedAuthzChecks: i === 0 ? [expectAllow(on(getDeployment, "user-info")), expectAllow(ci({ resource: "users", name: "bob" }, "user-info"))] : [],
    expectedCache: userInfoCache(userImpersonator, u("bob"), u("bob", { groups: authd }), [getDeployment]), expectedCode: 200 as const, expectedAttemptMode: "user-info",
  })) },
  { name: "impersonating-user-with-uid", origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [{
    request: getPod, requestor: uidRequestor, impersonatedUser: imp(anyoneUid), expectedImpersonatedUser: { ...anyoneUid, groups: authd },
    expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectAllow(ci({ resource: "users", name: "anyone" }, "user-info")), expectAllow(ci({ resource: "uids", name: "wanted-uid-456" }, "user-info"))],
    expectedCache: userInfoCache(uidRequestor, anyoneUid, { ...anyoneUid, groups: authd }, [getPod]), expectedCode: 200, expectedAttemptMode: "user-info",
  }] },
  ...([["impersonating-user-subresource-request", podStatus], ["impersonating-user-non-resource-request", healthz], ["impersonating-user-with-field-and-label-selectors", listSelected]] as const).map(
    ([name, request]): UpstreamCase => ({ name, origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [{
      request, requestor: userImpersonator, impersonatedUser: imp(anyone), expectedImpersonatedUser: anyoneAuthenticated,
      expectedAuthzChecks: [expectAllow(on(request, "user-info")), expectAllow(ci({ resource: "users", name: "anyone" }, "user-info"))],
      expectedCache: userInfoCache(userImpersonator, anyone, anyoneAuthenticated, [request]), expectedCode: 200, expectedAttemptMode: "user-info",
    }] }),
  ),
  { name: "legacy-fallback", origin: "TestConstrainedImpersonationFilter", since: "1.36", authorizer, gates: [true], requests: [
    {
      request: getPod, requestor: legacyImpersonater, impersonatedUser: imp(anyone), expectedImpersonatedUser: anyoneAuthenticated,
      expectedAuthzChecks: [expectAllow(on(getPod, "user-info")), expectDeny(ci({ resource: "users", name: "anyone" }, "user-info")), expectAllow(legacy({ resource: "users", name: "anyone" }))],
      expectedCache: { modeIdx: { "legacy-impersonater": "impersonate" } }, expectedCode: 200, expectedAttemptMode: "legacy",
    },
    {
      request: getDeployment, requestor: legacyImpersonater, impersonatedUser: imp(anyone), expectedImpersonatedUser: anyoneAuthenticated,
      expectedAuthzChecks: [expectAllow(legacy({ resource: "users", name: "anyone" }))], // mode index: legacy first
      expectedCache: { modeIdx: { "legacy-impersonater": "impersonate" } }, expectedCode: 200, expectedAttemptMode: "legacy",
    },
  ] },
];

// ---- §14.2 TestConstrainedImpersonationParallel, requests in listed order on one filter per case ----
const getPods: RequestInfo = { isResourceRequest: true, verb: "get", apiVersion: "v1", resource: "pods" };
const listServices: RequestInfo = { isResourceRequest: true, verb: "list", apiVersion: "v1", resource: "services" };
const createConfigMaps: RequestInfo = { isResourceRequest: true, verb: "create", apiVersion: "v1", resource: "configmaps" };
const createSecrets: RequestInfo = { isResourceRequest: true, verb: "create", apiVersion: "v1", resource: "secrets" };
const sa = (ns: string, name: string) => u(`system:serviceaccount:${ns}:${name}`, { groups: ["system:serviceaccounts", `system:serviceaccounts:${ns}`, "system:authenticated"] });
const p = (requestor: string, target: string, request: RequestInfo, ok: ReturnType<typeof u> | null): TestRequest => ({
  request, requestor: u(requestor), impersonatedUser: { user: target }, groupsAsSet: true,
  expectedCode: ok ? 200 : 403, ...(ok ? { expectedImpersonatedUser: ok } : {}),
});
const parallel = (name: string, requests: TestRequest[]): UpstreamCase => ({ name, origin: "TestConstrainedImpersonationParallel", since: "1.36", authorizer, gates: [true], requests });

export const parallelCases: readonly UpstreamCase[] = [
  parallel("different-users-same-target", [
    p("sa-impersonater", "system:serviceaccount:default:my-sa", getPods, sa("default", "my-sa")),
    p("node-impersonater", "system:serviceaccount:default:my-sa", getPods, null),
    p("user-impersonater", "system:serviceaccount:default:my-sa", getPods, null),
  ]),
  parallel("same-user-same-targets", [
    p("sa-impersonater", "system:serviceaccount:default:my-sa", getPods, sa("default", "my-sa")),
    p("sa-impersonater", "system:serviceaccount:default:my-sa", getPods, sa("default", "my-sa")),
  ]),
  parallel("same-user-different-targets", [
    p("sa-impersonater", "system:serviceaccount:default:sa1", getPods, sa("default", "sa1")),
    p("sa-impersonater", "system:serviceaccount:kube-system:sa2", getPods, sa("kube-system", "sa2")),
    p("sa-impersonater", "system:node:node-1", getPods, null),
  ]),
  parallel("same-user-same-target-different-operations", [
    p("sa-impersonater", "system:serviceaccount:default:my-sa", getPods, sa("default", "my-sa")),
    p("sa-impersonater", "system:serviceaccount:default:my-sa", listServices, sa("default", "my-sa")),
    p("sa-impersonater", "system:serviceaccount:default:my-sa", createConfigMaps, null),
    p("sa-impersonater", "system:serviceaccount:default:my-sa", createSecrets, null),
  ]),
  parallel("mixed-scenarios", [
    p("sa-impersonater", "system:serviceaccount:default:sa1", getPods, sa("default", "sa1")),
    p("node-impersonater", "system:node:node-1", listServices, u("system:node:node-1", { groups: ["system:nodes", "system:authenticated"] })),
    p("user-impersonater", "alice", createConfigMaps, null),
    p("unauthorized-user", "bob", getPods, null),
  ]),
];
