import { describe, expect, it } from "vitest";
import { ManualClock, asAuthenticated, userInfo, type HttpRequest } from "../core/index.ts";
import { createOracle, predictWithState, emptyState } from "./index.ts";
import { clusterRole, clusterRoleBinding, role, roleBinding, user, world } from "./rbac/test-world.ts";

// SPEC §10.2 examples, end to end through attribution, the real authorizer chain and the filter.
const bob = asAuthenticated(userInfo("bob-impersonator"));
const getPod = (headers: [string, string][] = []): HttpRequest => ({ method: "GET", path: "/api/v1/namespaces/bar/pods/foo", headers });
const w = world({
  clusterRoles: [
    clusterRole("imp-on", { verbs: ["impersonate-on:user-info:get"], apiGroups: [""], resources: ["pods"] }),
    clusterRole("imp-users", { verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: ["users"], resourceNames: ["panda"] }),
  ],
  roles: [role("bar", "read-pods", { verbs: ["get"], apiGroups: [""], resources: ["pods"] })],
  clusterRoleBindings: [clusterRoleBinding("b1", "imp-on", user("bob-impersonator")), clusterRoleBinding("b2", "imp-users", user("bob-impersonator"))],
  roleBindings: [roleBinding("bar", "rb", { kind: "Role", name: "read-pods" }, user("panda"))],
});

describe("createOracle / predict (end to end with the RBAC chain)", () => {
  it("no impersonation: only the final check, as the requestor", () => {
    const o = createOracle({ gate: true, version: "1.37.2", clock: new ManualClock() });
    const p = o.predict(w, bob, getPod());
    expect(p.checks.map((c) => [c.attributes.user.username, c.attributes.verb, c.decision])).toEqual([["bob-impersonator", "get", "no-opinion"]]);
    expect(p).toMatchObject({ code: 403, outcome: "request-denied", mode: null, constraint: "" });
    expect(p.message).toBe(`pods "foo" is forbidden: User "bob-impersonator" cannot get resource "pods" in API group "" in the namespace "bar"`);
  });

  it("user-info success, then the request authorized as the impersonated user", () => {
    const o = createOracle({ gate: true, version: "1.37.2", clock: new ManualClock() });
    const p = o.predict(w, bob, getPod([["Impersonate-User", "panda"]]));
    expect(p.checks.map((c) => [c.attributes.user.username, c.attributes.verb, c.attributes.resource, c.decision])).toEqual([
      ["bob-impersonator", "impersonate-on:user-info:get", "pods", "allow"],
      ["bob-impersonator", "impersonate:user-info", "users", "allow"],
      ["panda", "get", "pods", "allow"],
    ]);
    expect(p).toMatchObject({ code: null, message: null, outcome: "allowed", mode: "user-info", constraint: "impersonate:user-info" });
    expect(p.user).toEqual({ username: "panda", uid: "", groups: ["system:authenticated"], extra: {} });
    // same request again within 10 s: outer cache hit, only the final check
    expect(o.predict(w, bob, getPod([["Impersonate-User", "panda"]])).checks).toHaveLength(1);
  });

  it("request-denied names the impersonated user; legacy is tried and the first mode's error wins", () => {
    const o = createOracle({ gate: true, version: "1.37.2", clock: new ManualClock() });
    const p = o.predict(w, bob, getPod([["Impersonate-User", "koala"]]));
    expect(p.outcome).toBe("impersonation-denied");
    expect(p.message).toBe(
      `users.authentication.k8s.io "koala" is forbidden: User "bob-impersonator" cannot impersonate:user-info resource "users" in API group "authentication.k8s.io" at the cluster scope`,
    );
    expect(p.checks.map((c) => c.attributes.verb)).toEqual(["impersonate-on:user-info:get", "impersonate:user-info", "impersonate"]);
  });

  it("system:masters: checks decided by privileged-groups, invisible to the recorder", () => {
    const o = createOracle({ gate: true, version: "1.36.3", clock: new ManualClock() });
    const admin = asAuthenticated(userInfo("root", { groups: ["system:masters"] }));
    const p = o.predict(w, admin, getPod([["Impersonate-User", "system:node:n1"]]));
    expect(p.mode).toBe("arbitrary-node");
    expect(p.checks.slice(0, 2).map((c) => c.decidedBy)).toEqual(["privileged-groups", "privileged-groups"]);
    expect(p.user?.groups).toEqual(["system:nodes", "system:authenticated"]);
  });

  it("gate off: legacy filter, apiVersion \"\" on users", () => {
    const o = createOracle({ gate: false, version: "1.35.4", clock: new ManualClock() });
    const p = o.predict(w, bob, getPod([["Impersonate-User", "panda"]]));
    expect(p.checks[0]?.attributes).toMatchObject({ verb: "impersonate", group: "", version: "", resource: "users", name: "panda" });
    expect(p.message).toBe(`users "panda" is forbidden: User "bob-impersonator" cannot impersonate resource "users" in API group "" at the cluster scope`);
  });

  it("caches expire exactly 10 s after insertion", () => {
    const clock = new ManualClock();
    const o = createOracle({ gate: true, version: "1.37.2", clock });
    const req = getPod([["Impersonate-User", "panda"]]);
    o.predict(w, bob, req);
    clock.advance(9_999);
    expect(o.predict(w, bob, req).checks).toHaveLength(1);
    clock.advance(1);
    expect(o.predict(w, bob, req).checks).toHaveLength(3);
  });

  it("state snapshots and the functional form do not leak writes", () => {
    const o = createOracle({ gate: true, version: "1.37.2", clock: new ManualClock() });
    const s0 = o.state();
    o.predict(w, bob, getPod([["Impersonate-User", "panda"]]));
    expect(s0.modeIndex.size).toBe(0);
    expect(o.state().modeIndex.get("bob-impersonator")).toBe(3);
    o.restore(s0);
    expect(o.state().modeIndex.size).toBe(0);
    const empty = emptyState();
    const out = predictWithState(empty, { gate: true, version: "1.37.2" }, w, bob, getPod([["Impersonate-User", "panda"]]), 0);
    expect(empty.modeIndex.size).toBe(0);
    expect(out.state.modeIndex.get("bob-impersonator")).toBe(3);
    expect(empty.caches[3]!.outer.size).toBe(0);
    expect(out.state.caches[3]!.outer.size).toBe(1);
  });
});
