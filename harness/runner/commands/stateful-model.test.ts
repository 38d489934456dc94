import { describe, expect, it } from "vitest";
import { ManualClock, asAuthenticated, userInfo } from "../../core/index.ts";
import { createOracle } from "../../oracle/index.ts";
import { clusterRole, clusterRoleBinding, user, world } from "../../oracle/rbac/test-world.ts";
import { cacheBoundaries, newStatefulStats, formatStats } from "./stateful-model.ts";

describe("cacheBoundaries", () => {
  it("lists the expiry of each outer and inner entry of that requestor only", () => {
    const clock = new ManualClock(1234);
    const oracle = createOracle({ gate: true, version: "1.37.2", clock });
    const w = world({
      clusterRoles: [
        clusterRole("on", { verbs: ["impersonate-on:user-info:get"], apiGroups: [""], resources: ["pods"] }),
        clusterRole("as", { verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: ["users"] }),
      ],
      clusterRoleBindings: [clusterRoleBinding("on", "on", user("deputy")), clusterRoleBinding("as", "as", user("deputy"))],
    });
    const get = { method: "GET", path: "/api/v1/namespaces/ns/pods/foo", headers: [["Impersonate-User", "bob"]] as [string, string][] };
    expect(oracle.predict(w, asAuthenticated(userInfo("deputy")), get).mode).toBe("user-info");
    expect(oracle.predict(w, asAuthenticated(userInfo("other")), get).mode).toBe(null);
    expect(cacheBoundaries(oracle.state(), "deputy")).toEqual([11_234, 11_234]);
    expect(cacheBoundaries(oracle.state(), "other")).toEqual([]);
  });
});

describe("formatStats", () => {
  it("says how many probes the window decided", () => {
    const s = newStatefulStats();
    s.probes = 3;
    s.acceptedByWindow = 1;
    s.outcomes["allowed/user-info"] = 3;
    expect(formatStats(s)).toMatch(/3 probes .* 1 accepted only by the window\); outcomes: allowed\/user-info 3$/);
  });
});
