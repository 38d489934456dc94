import { describe, expect, it } from "vitest";
import { userInfo, type PolicyRule } from "../../core/index.ts";
import { authorizeRbac } from "./rbac-authorizer.ts";
import {
  alice,
  clusterRole,
  clusterRoleBinding,
  group,
  pathCheck,
  resourceCheck,
  role,
  roleBinding,
  sa,
  user,
  world,
} from "./test-world.ts";

/** A world where alice holds exactly one ClusterRole with `rule`. */
const granting = (rule: PolicyRule) =>
  world({ clusterRoles: [clusterRole("r", rule)], clusterRoleBindings: [clusterRoleBinding("b", "r", user("alice"))] });
const decide = (rule: PolicyRule, ...args: Parameters<typeof resourceCheck> extends [unknown, ...infer R] ? R : never) =>
  authorizeRbac(granting(rule), resourceCheck(alice, ...args)).decision;

describe("RBAC rule matching", () => {
  it.each<[string, PolicyRule, string, string, Partial<Parameters<typeof resourceCheck>[3]>, "allow" | "no-opinion"]>([
    ["exact", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, "get", "pods", {}, "allow"],
    ["verb *", { verbs: ["*"], apiGroups: [""], resources: ["pods"] }, "impersonate-on:user-info:get", "pods", {}, "allow"],
    ["verb prefix is a literal", { verbs: ["impersonate-on:user-info:*"], apiGroups: [""], resources: ["pods"] }, "impersonate-on:user-info:get", "pods", {}, "no-opinion"],
    ["group *", { verbs: ["get"], apiGroups: ["*"], resources: ["deployments"] }, "get", "deployments", { group: "apps" }, "allow"],
    ["wrong group", { verbs: ["get"], apiGroups: [""], resources: ["deployments"] }, "get", "deployments", { group: "apps" }, "no-opinion"],
    ["no apiGroups", { verbs: ["get"], resources: ["pods"] }, "get", "pods", {}, "no-opinion"],
    ["resource * covers subresources", { verbs: ["get"], apiGroups: [""], resources: ["*"] }, "get", "pods", { subresource: "log" }, "allow"],
    ["resource does not cover its subresources", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }, "get", "pods", { subresource: "log" }, "no-opinion"],
    ["res/sub", { verbs: ["get"], apiGroups: [""], resources: ["pods/log"] }, "get", "pods", { subresource: "log" }, "allow"],
    ["*/sub", { verbs: ["get"], apiGroups: [""], resources: ["*/status"] }, "get", "pods", { subresource: "status" }, "allow"],
    ["*/sub, wrong group", { verbs: ["get"], apiGroups: [""], resources: ["*/status"] }, "get", "deployments", { group: "apps", subresource: "status" }, "no-opinion"],
    ["*/sub, other subresource", { verbs: ["get"], apiGroups: [""], resources: ["*/status"] }, "get", "pods", { subresource: "log" }, "no-opinion"],
    ["*/sub any group", { verbs: ["get"], apiGroups: ["*"], resources: ["*/status"] }, "get", "deployments", { group: "apps", subresource: "status" }, "allow"],
    ["*/sub needs a subresource", { verbs: ["get"], apiGroups: ["*"], resources: ["*/status"] }, "get", "status", {}, "no-opinion"],
    ["res/* is literal: no match for a real subresource", { verbs: ["*"], apiGroups: ["authentication.k8s.io"], resources: ["userextras/*"] }, "impersonate:user-info", "userextras", { group: "authentication.k8s.io", subresource: "example.com/scopes" }, "no-opinion"],
    ["res/* is literal: matches subresource *", { verbs: ["*"], apiGroups: ["authentication.k8s.io"], resources: ["userextras/*"] }, "impersonate:user-info", "userextras", { group: "authentication.k8s.io", subresource: "*" }, "allow"],
    ["resourceNames exact", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["p"] }, "get", "pods", { name: "p" }, "allow"],
    ["resourceNames other", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["p"] }, "get", "pods", { name: "q" }, "no-opinion"],
    ["resourceNames vs list", { verbs: ["list"], apiGroups: [""], resources: ["pods"], resourceNames: ["p"] }, "list", "pods", {}, "no-opinion"],
    ["resourceNames [*] is literal", { verbs: ["*"], apiGroups: ["authentication.k8s.io"], resources: ["groups"], resourceNames: ["*"] }, "impersonate:user-info", "groups", { group: "authentication.k8s.io", name: "devs" }, "no-opinion"],
    ["resourceNames [*] matches name *", { verbs: ["*"], apiGroups: ["authentication.k8s.io"], resources: ["groups"], resourceNames: ["*"] }, "impersonate:user-info", "groups", { group: "authentication.k8s.io", name: "*" }, "allow"],
    ["empty resourceNames = any", { verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: [] }, "get", "pods", { name: "x" }, "allow"],
    ["nonResourceURLs ignored for resources", { verbs: ["*"], nonResourceURLs: ["*"] }, "get", "pods", {}, "no-opinion"],
  ])("%s", (_name, rule, verb, resource, opts, expected) => {
    expect(decide(rule, verb, resource, opts)).toBe(expected);
  });

  it.each<[PolicyRule, string, "allow" | "no-opinion"]>([
    [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }, "/healthz", "allow"],
    [{ verbs: ["get"], nonResourceURLs: ["/healthz"] }, "/healthz/ping", "no-opinion"],
    [{ verbs: ["get"], nonResourceURLs: ["/healthz/*"] }, "/healthz/ping", "allow"],
    [{ verbs: ["get"], nonResourceURLs: ["/healthz/*"] }, "/healthz", "no-opinion"],
    [{ verbs: ["get"], nonResourceURLs: ["/api*"] }, "/apis/apps", "allow"],
    [{ verbs: ["get"], nonResourceURLs: ["/api**"] }, "/api", "allow"],
    [{ verbs: ["get"], nonResourceURLs: ["*"] }, "/anything", "allow"],
    [{ verbs: ["post"], nonResourceURLs: ["*"] }, "/anything", "no-opinion"],
    [{ verbs: ["get"], apiGroups: ["*"], resources: ["*"] }, "/api", "no-opinion"],
  ])("nonResourceURLs %j on %s", (rule, path, expected) => {
    expect(authorizeRbac(granting(rule), pathCheck(alice, "get", path)).decision).toBe(expected);
  });
});

describe("RBAC subjects and bindings", () => {
  const podsReader = clusterRole("pods-reader", { verbs: ["get"], apiGroups: [""], resources: ["pods"] });
  const inNs = (u: typeof alice, ns: string) => resourceCheck(u, "get", "pods", { namespace: ns, name: "p" });

  it("a Group subject matches membership", () => {
    const w = world({ clusterRoles: [podsReader], clusterRoleBindings: [clusterRoleBinding("b", "pods-reader", group("devs"))] });
    expect(authorizeRbac(w, inNs(alice, "x")).decision).toBe("allow");
    expect(authorizeRbac(w, inNs(userInfo("bob"), "x")).decision).toBe("no-opinion");
  });

  it("a ServiceAccount subject matches system:serviceaccount:<ns>:<name>", () => {
    const w = world({ clusterRoles: [podsReader], clusterRoleBindings: [clusterRoleBinding("b", "pods-reader", sa("robot", "prod"))] });
    expect(authorizeRbac(w, inNs(userInfo("system:serviceaccount:prod:robot"), "x")).decision).toBe("allow");
    expect(authorizeRbac(w, inNs(userInfo("system:serviceaccount:prod:robot2"), "x")).decision).toBe("no-opinion");
    expect(authorizeRbac(w, inNs(userInfo("system:serviceaccount:pro:drobot"), "x")).decision).toBe("no-opinion");
  });

  it("a ServiceAccount subject without namespace: never in a ClusterRoleBinding, the binding's in a RoleBinding", () => {
    const robot = userInfo("system:serviceaccount:prod:robot");
    const crb = world({ clusterRoles: [podsReader], clusterRoleBindings: [clusterRoleBinding("b", "pods-reader", sa("robot"))] });
    expect(authorizeRbac(crb, inNs(robot, "prod")).decision).toBe("no-opinion");
    const rb = world({ clusterRoles: [podsReader], roleBindings: [roleBinding("prod", "b", { kind: "ClusterRole", name: "pods-reader" }, sa("robot"))] });
    expect(authorizeRbac(rb, inNs(robot, "prod")).decision).toBe("allow");
    expect(authorizeRbac(rb, inNs(robot, "other")).decision).toBe("no-opinion");
  });

  it("RoleBindings apply only to checks in their namespace; ClusterRoleBindings everywhere", () => {
    const w = world({
      roles: [role("dev", "r", { verbs: ["get"], apiGroups: [""], resources: ["pods"] })],
      roleBindings: [roleBinding("dev", "rb", { kind: "Role", name: "r" }, user("alice"))],
    });
    expect(authorizeRbac(w, inNs(alice, "dev")).decision).toBe("allow");
    expect(authorizeRbac(w, inNs(alice, "prod")).decision).toBe("no-opinion");
    expect(authorizeRbac(w, resourceCheck(alice, "get", "pods", { name: "p" })).decision).toBe("no-opinion");
    const rbToClusterRole = world({ clusterRoles: [podsReader], roleBindings: [roleBinding("dev", "rb", { kind: "ClusterRole", name: "pods-reader" }, user("alice"))] });
    expect(authorizeRbac(rbToClusterRole, inNs(alice, "dev")).decision).toBe("allow");
    expect(authorizeRbac(rbToClusterRole, inNs(alice, "prod")).decision).toBe("no-opinion");
  });

  it("a Role is looked up in the binding's namespace only", () => {
    const w = world({
      roles: [role("other", "r", { verbs: ["get"], apiGroups: [""], resources: ["pods"] })],
      roleBindings: [roleBinding("dev", "rb", { kind: "Role", name: "r" }, user("alice"))],
    });
    expect(authorizeRbac(w, inNs(alice, "dev"))).toEqual({
      decision: "no-opinion",
      reason: 'RBAC: role.rbac.authorization.k8s.io "r" not found',
      decidedBy: "rbac",
    });
  });

  it("allow reasons name the binding, role and subject as upstream's describers", () => {
    const w = world({
      clusterRoles: [podsReader],
      clusterRoleBindings: [clusterRoleBinding("crb", "pods-reader", user("bob"), group("devs"))],
      roleBindings: [roleBinding("dev", "rb", { kind: "ClusterRole", name: "pods-reader" }, sa("robot"))],
    });
    expect(authorizeRbac(w, inNs(alice, "dev")).reason).toBe('RBAC: allowed by ClusterRoleBinding "crb" of ClusterRole "pods-reader" to Group "devs"');
    expect(authorizeRbac(w, inNs(userInfo("system:serviceaccount:dev:robot"), "dev")).reason).toBe(
      'RBAC: allowed by RoleBinding "rb/dev" of ClusterRole "pods-reader" to ServiceAccount "robot/dev"',
    );
  });
});

describe("RBAC missing roles", () => {
  const reader = clusterRole("reader", { verbs: ["get"], apiGroups: [""], resources: ["pods"] });

  it("one missing ClusterRole: its NotFound text as the reason, no error", () => {
    const w = world({ clusterRoleBindings: [clusterRoleBinding("b", "gone", user("alice"))] });
    const answer = authorizeRbac(w, resourceCheck(alice, "get", "pods"));
    expect(answer).toEqual({ decision: "no-opinion", reason: 'RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found', decidedBy: "rbac" });
    expect(answer.error).toBeUndefined();
  });

  it("several: deduplicated aggregate, cluster errors before namespace errors", () => {
    const w = world({
      clusterRoleBindings: [clusterRoleBinding("b1", "gone", user("alice")), clusterRoleBinding("b2", "gone", group("devs"))],
      roleBindings: [roleBinding("dev", "rb", { kind: "Role", name: "missing" }, user("alice"))],
    });
    const answer = authorizeRbac(w, resourceCheck(alice, "get", "pods", { namespace: "dev" }));
    expect(answer.reason).toBe(
      'RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, role.rbac.authorization.k8s.io "missing" not found]',
    );
    expect(answer.reasonIndeterminate).toBeUndefined();
  });

  it("two distinct errors from one group are in unspecified (informer) order", () => {
    const w = world({ clusterRoleBindings: [clusterRoleBinding("b1", "x", user("alice")), clusterRoleBinding("b2", "y", user("alice"))] });
    const answer = authorizeRbac(w, resourceCheck(alice, "get", "pods"));
    expect(answer.reason).toBe('RBAC: [clusterrole.rbac.authorization.k8s.io "x" not found, clusterrole.rbac.authorization.k8s.io "y" not found]');
    expect(answer.reasonIndeterminate).toBeDefined();
  });

  it("an allow wins over errors and drops them", () => {
    const w = world({
      clusterRoles: [reader],
      clusterRoleBindings: [clusterRoleBinding("b1", "gone", user("alice")), clusterRoleBinding("b2", "reader", user("alice"))],
    });
    expect(authorizeRbac(w, resourceCheck(alice, "get", "pods")).reason).toBe(
      'RBAC: allowed by ClusterRoleBinding "b2" of ClusterRole "reader" to User "alice"',
    );
  });

  it("a binding that does not apply to the user reports nothing", () => {
    const w = world({ clusterRoleBindings: [clusterRoleBinding("b", "gone", user("bob"))] });
    expect(authorizeRbac(w, resourceCheck(alice, "get", "pods")).reason).toBe("");
  });

  it("names are Go-quoted", () => {
    const w = world({ clusterRoleBindings: [clusterRoleBinding("b", 'we"ird\u00a0', user("alice"))] });
    expect(authorizeRbac(w, resourceCheck(alice, "get", "pods")).reason).toBe(
      'RBAC: clusterrole.rbac.authorization.k8s.io "we\\"ird\\u00a0" not found',
    );
  });
});

describe("RBAC over bootstrap-like policy", () => {
  // Shapes of the bootstrap ClusterRoles system:discovery / system:basic-user bound to system:authenticated.
  const w = world({
    clusterRoles: [
      clusterRole("system:discovery", { verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"] }),
      clusterRole("system:basic-user", { verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"] }),
      clusterRole("cluster-admin", { verbs: ["*"], apiGroups: ["*"], resources: ["*"] }, { verbs: ["*"], nonResourceURLs: ["*"] }),
    ],
    clusterRoleBindings: [
      clusterRoleBinding("system:discovery", "system:discovery", group("system:authenticated")),
      clusterRoleBinding("system:basic-user", "system:basic-user", group("system:authenticated")),
      clusterRoleBinding("cluster-admin", "cluster-admin", group("system:masters")),
    ],
  });

  it("discovery for any authenticated user, but not impersonate-on of it", () => {
    expect(authorizeRbac(w, pathCheck(alice, "get", "/apis/apps/v1")).decision).toBe("allow");
    expect(authorizeRbac(w, pathCheck(alice, "impersonate-on:user-info:get", "/apis")).decision).toBe("no-opinion");
    expect(authorizeRbac(w, pathCheck(userInfo("anon"), "get", "/apis")).decision).toBe("no-opinion");
  });

  it("cluster-admin through system:masters grants the new verbs too", () => {
    const admin = userInfo("root", { groups: ["system:masters"] });
    expect(authorizeRbac(w, resourceCheck(admin, "impersonate:user-info", "users", { group: "authentication.k8s.io", name: "bob" })).decision).toBe("allow");
    expect(authorizeRbac(w, pathCheck(admin, "impersonate-on:user-info:get", "/healthz")).decision).toBe("allow");
  });
});
