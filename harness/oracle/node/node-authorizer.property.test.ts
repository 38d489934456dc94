import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { userInfo, type CheckAttributes } from "../../core/index.ts";
import { world } from "../rbac/test-world.ts";
import { nodeAuthorizer } from "./node-authorizer.ts";

const w = world({ pods: [{ namespace: "ns", name: "p", nodeName: "n1", secrets: ["s"], serviceAccountName: "sa" }] });
const check: fc.Arbitrary<CheckAttributes> = fc.record({
  user: fc
    .tuple(fc.constantFrom("system:node:n1", "system:node:n2", "system:node:", "alice", "system:nodes"), fc.subarray(["system:nodes", "system:authenticated"]))
    .map(([n, groups]) => userInfo(n, { groups })),
  verb: fc.constantFrom("get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "proxy", "impersonate-on:arbitrary-node:get"),
  resourceRequest: fc.boolean(),
  namespace: fc.constantFrom("", "ns", "kube-node-lease"),
  group: fc.constantFrom("", "apps", "storage.k8s.io", "coordination.k8s.io", "resource.k8s.io", "certificates.k8s.io", "events.k8s.io"),
  version: fc.constant("v1"),
  resource: fc.constantFrom("pods", "nodes", "secrets", "configmaps", "serviceaccounts", "leases", "csinodes", "resourceslices", "persistentvolumes", "events", "deployments"),
  subresource: fc.constantFrom("", "status", "token", "log", "eviction"),
  name: fc.constantFrom("", "p", "n1", "s", "sa"),
  path: fc.constantFrom("", "/healthz"),
});

describe("Node authorizer properties", () => {
  it("never denies; non-nodes get a bare NoOpinion", () => {
    for (const version of ["1.35.4", "1.36.3", "1.37.2"] as const) {
      const node = nodeAuthorizer(w, { kubeVersion: version });
      fc.assert(
        fc.property(check, (c) => {
          const answer = node.authorize(c);
          expect(answer.decision).not.toBe("deny");
          expect(answer.decidedBy).toBe("node");
          if (!c.user.groups.includes("system:nodes") || !c.user.username.startsWith("system:node:")) {
            expect(answer).toEqual({ decision: "no-opinion", reason: "", decidedBy: "node" });
          }
          if (answer.decision === "allow") expect(answer.reason).toBe("");
        }),
        { numRuns: 1000 },
      );
    }
  }, 60_000);
});
