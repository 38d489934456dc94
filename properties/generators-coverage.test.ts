/**
 * Generators × oracle: a default run's cases reach every coverage cell a cold requestor can reach
 * (runner/coverage.ts `REACHABLE_CELLS`: mode × outcome × fallback), judged by the oracle's
 * predictions over the instantiated cases plus the few bootstrap roles the probes lean on
 * (discovery, basic-user, public-info, `edit`'s legacy SA impersonation). Every case gets a fresh
 * oracle, as the runner gives it fresh names; the oracle must also accept every generated probe.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extendWorld } from "../harness/apply/extend-world.ts";
import { asAuthenticated, EMPTY_WORLD, type Manifest, type World } from "../harness/core/index.ts";
import { fuzzCaseArb, instantiateCase } from "../harness/generate/index.ts";
import { createOracle } from "../harness/oracle/index.ts";
import { coverageCell, REACHABLE_CELLS } from "../harness/runner/coverage.ts";

const V = "rbac.authorization.k8s.io/v1";
const G = "rbac.authorization.k8s.io";
const group = (name: string) => ({ kind: "Group", apiGroup: G, name });
const clusterRole = (name: string, rules: unknown[]): Manifest => ({ apiVersion: V, kind: "ClusterRole", metadata: { name }, rules });
const bind = (name: string, ...groups: string[]): Manifest => ({
  apiVersion: V,
  kind: "ClusterRoleBinding",
  metadata: { name },
  subjects: groups.map(group),
  roleRef: { apiGroup: G, kind: "ClusterRole", name },
});

/** The slice of kube-apiserver's bootstrap policy generated probes depend on. */
const BOOTSTRAP: World = extendWorld(EMPTY_WORLD, [
  clusterRole("system:discovery", [{ verbs: ["get"], nonResourceURLs: ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"] }]),
  bind("system:discovery", "system:authenticated"),
  clusterRole("system:public-info-viewer", [{ verbs: ["get"], nonResourceURLs: ["/healthz", "/livez", "/readyz", "/version", "/version/"] }]),
  bind("system:public-info-viewer", "system:authenticated", "system:unauthenticated"),
  clusterRole("system:basic-user", [{ verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] }]),
  bind("system:basic-user", "system:authenticated"),
  clusterRole("edit", [
    { verbs: ["impersonate"], apiGroups: [""], resources: ["serviceaccounts"] },
    { verbs: ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"], apiGroups: ["", "apps"], resources: ["pods", "pods/status", "pods/log", "deployments", "secrets", "serviceaccounts"] },
  ]),
]);

describe("generated cases × oracle", () => {
  it("reach every reachable mode × outcome × fallback cell in a modest run", () => {
    const cells = new Map<string, number>();
    const templates = fc.sample(fuzzCaseArb(), { seed: 5284, numRuns: 700 });
    templates.forEach((t, i) => {
      const c = instantiateCase(t, `g${i.toString(36)}-`);
      const world = extendWorld(BOOTSTRAP, c.objects);
      const oracle = createOracle({ gate: true, version: "1.36.3", clock: { now: () => 0 } });
      for (const p of c.probes) {
        const cell = coverageCell(oracle.predict(world, asAuthenticated(p.requestor), p.request));
        cells.set(cell, (cells.get(cell) ?? 0) + 1);
      }
    });
    const total = [...cells.values()].reduce((a, b) => a + b, 0);
    expect(Object.keys(REACHABLE_CELLS).filter((c) => !cells.has(c))).toEqual([]);
    // success paths are common, not only denials
    const ok = [...cells.entries()].filter(([c]) => !c.startsWith("none×impersonation-denied") && !c.includes("bad-request")).reduce((n, [, v]) => n + v, 0);
    expect(ok / total).toBeGreaterThan(0.4);
    expect((cells.get("none×bad-request×direct") ?? 0) / total).toBeGreaterThan(0.02);
  });
});
