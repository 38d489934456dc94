import { describe, expect, it } from "vitest";
import { userInfo, type CheckAttributes } from "../../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../authorizer.ts";
import { clusterRole, clusterRoleBinding, group, resourceCheck, user, world } from "../rbac/test-world.ts";
import { attributesFor } from "../attribution/request-info.ts";
import { authorizerChainFor, buildAuthorizerChain } from "./chain.ts";
import { unionAuthorize } from "./union.ts";

const n1 = userInfo("system:node:n1", { groups: ["system:nodes", "system:authenticated"] });
const w = world({
  clusterRoles: [clusterRole("pod-lister", { verbs: ["list"], apiGroups: [""], resources: ["pods"] })],
  clusterRoleBindings: [clusterRoleBinding("listers", "pod-lister", user("lister")), clusterRoleBinding("broken", "gone", group("system:nodes"))],
  pods: [{ namespace: "ns", name: "web", nodeName: "n1" }],
});
const asUser = (u: ReturnType<typeof userInfo>, method: string, path: string): CheckAttributes => ({
  ...attributesFor({ method, path, headers: [] }),
  user: u,
});

describe("buildAuthorizerChain", () => {
  it("system:masters is allowed by the privileged-groups authorizer, before anything else", () => {
    const admin = userInfo("root", { groups: ["system:masters"] });
    expect(buildAuthorizerChain(w).authorize(resourceCheck(admin, "impersonate:user-info", "users", { group: "authentication.k8s.io", name: "x" }))).toEqual({
      decision: "allow",
      reason: "",
      decidedBy: "privileged-groups",
    });
  });

  it("a node listing its pods is allowed by Node, not RBAC", () => {
    const a = asUser(n1, "GET", "/api/v1/pods?fieldSelector=spec.nodeName%3Dn1");
    expect(buildAuthorizerChain(w).authorize(a)).toEqual({ decision: "allow", reason: "", decidedBy: "node" });
  });

  it("RBAC decides what Node has no opinion on, with its own allow reason", () => {
    const lister = userInfo("lister", { groups: ["system:authenticated"] });
    expect(buildAuthorizerChain(w).authorize(asUser(lister, "GET", "/api/v1/pods"))).toEqual({
      decision: "allow",
      reason: 'RBAC: allowed by ClusterRoleBinding "listers" of ClusterRole "pod-lister" to User "lister"',
      decidedBy: "rbac",
    });
  });

  it("all no opinion: reasons joined by newline (1.35/1.36 bare)", () => {
    const a = asUser(n1, "GET", "/api/v1/pods");
    const expected: AuthorizerAnswer = {
      decision: "no-opinion",
      reason: 'can only list/watch pods with spec.nodeName field selector\nRBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
      decidedBy: "none",
    };
    expect(buildAuthorizerChain(w, { kubeVersion: "1.35.4" }).authorize(a)).toEqual(expected);
    expect(buildAuthorizerChain(w, { kubeVersion: "1.36.3" }).authorize(a)).toEqual(expected);
  });

  it("all no opinion: from 1.37 each reason is prefixed with its authorizer's name", () => {
    const a = asUser(n1, "GET", "/api/v1/pods");
    expect(buildAuthorizerChain(w, { kubeVersion: "1.37.2" }).authorize(a).reason).toBe(
      'node: can only list/watch pods with spec.nodeName field selector\nrbac: RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
    expect(buildAuthorizerChain(w, { kubeVersion: "1.37.2", names: { node: "n", rbac: "r" }, webhookReason: "seen" }).authorize(a).reason).toBe(
      'recorder.impfuzz.dev: seen\nn: can only list/watch pods with spec.nodeName field selector\nr: RBAC: clusterrole.rbac.authorization.k8s.io "gone" not found',
    );
  });

  it("no reasons at all: empty reason, no error", () => {
    expect(buildAuthorizerChain(w).authorize(asUser(userInfo("nobody"), "GET", "/healthz"))).toEqual({
      decision: "no-opinion",
      reason: "",
      decidedBy: "none",
    });
  });

  it("an indeterminate Node answer makes a no-opinion chain indeterminate, but not an RBAC allow", () => {
    const pv = asUser(n1, "GET", "/api/v1/persistentvolumes/pv1");
    expect(buildAuthorizerChain(w).authorize(pv).indeterminate).toBeDefined();
    const granted = world({
      clusterRoles: [clusterRole("pv", { verbs: ["get"], apiGroups: [""], resources: ["persistentvolumes"] })],
      clusterRoleBindings: [clusterRoleBinding("pv", "pv", user("system:node:n1"))],
    });
    const answer = buildAuthorizerChain(granted).authorize(pv);
    expect(answer).toMatchObject({ decision: "allow", decidedBy: "rbac" });
    expect(answer.indeterminate).toBeUndefined();
    expect(answer.reasonIndeterminate).toBeDefined();
  });

  it("authorizerChainFor memoises per World object and options", () => {
    expect(authorizerChainFor(w)).toBe(authorizerChainFor(w));
    expect(authorizerChainFor(w, { kubeVersion: "1.35.4" })).not.toBe(authorizerChainFor(w));
  });
});

describe("unionAuthorize", () => {
  const fixed = (answer: AuthorizerAnswer): Authorizer => ({ authorize: () => answer });
  const check = resourceCheck(userInfo("u"), "get", "pods");

  it("returns the first Allow or Deny as given, dropping earlier reasons and errors", () => {
    const members = [
      { name: "a", authorizer: fixed({ decision: "no-opinion", reason: "ra", error: "ea", decidedBy: "webhook" }) },
      { name: "b", authorizer: fixed({ decision: "deny", reason: "rb", decidedBy: "node" }) },
      { name: "c", authorizer: fixed({ decision: "allow", reason: "rc", decidedBy: "rbac" }) },
    ];
    expect(unionAuthorize(members, check, true)).toEqual({ decision: "deny", reason: "rb", decidedBy: "node" });
  });

  it("aggregates errors of a no-opinion chain like utilerrors.NewAggregate", () => {
    const members = ["x", "y", "x"].map((e, i) => ({
      name: `m${i}`,
      authorizer: fixed({ decision: "no-opinion", reason: "", error: e, decidedBy: "webhook" }),
    }));
    expect(unionAuthorize(members, check, false)).toEqual({ decision: "no-opinion", reason: "", error: "[x, y]", decidedBy: "none" });
    expect(unionAuthorize(members.slice(0, 1), check, false).error).toBe("x");
  });
});

describe("indexing", () => {
  // Speed is measured by `npm run bench:oracle`, never asserted here: this only pins the mechanism
  // that keeps it fast, one chain (and one RBAC index) per World object.
  it("memoises the chain per World and answers from it", () => {
    const rules = Array.from({ length: 50 }, (_, i) => ({ verbs: ["get", "list"], apiGroups: [""], resources: [`r${i}`] }));
    const big = world({
      clusterRoles: [clusterRole("big", ...rules)],
      clusterRoleBindings: [clusterRoleBinding("big", "big", group("system:authenticated"))],
    });
    const u = userInfo("someone", { groups: ["system:authenticated"] });
    const chain = authorizerChainFor(big);
    expect(authorizerChainFor(big)).toBe(chain);
    expect(chain.authorize(resourceCheck(u, "get", "r49", { namespace: "ns" })).decision).toBe("allow");
    expect(chain.authorize(resourceCheck(u, "get", "pods", { namespace: "ns", name: "p" })).decision).toBe("no-opinion");
  });
});
