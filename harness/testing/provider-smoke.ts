import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApplyManifest, applyObjects, rbacBarrier } from "../apply/index.ts";
import type { ClusterProvider, ClusterResources, StartedCluster } from "../cluster/provider.ts";
import { type CheckAttributes, NODE_NAME_EXTRA, userInfo } from "../core/index.ts";
import { observeProbe } from "../observe/index.ts";
import { TEST_KUBE_VERSION, uniqueName } from "./test-cluster.ts";

/**
 * The smoke assertions every provider that runs its own kube-apiserver must pass, with the same
 * expectations whatever runs the binary: impersonation denied with the SPEC's message and check order,
 * allowed as the right user (user-info and associated-node), and the legacy filter's message with the
 * gate off. Each provider's integration test calls this once.
 */
export function providerSmokeSuite(makeProvider: () => ClusterProvider): void {
  const label = (gate: boolean) => `${makeProvider().name} provider, kube-apiserver ${TEST_KUBE_VERSION}, ConstrainedImpersonation ${gate ? "on" : "off"}`;

  describe(label(true), () => {
    let cluster: StartedCluster;
    beforeAll(async () => {
      cluster = await makeProvider().start({ version: TEST_KUBE_VERSION, gate: true });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it("reports the version it was built as", () => {
      expect(cluster.serverVersion).toBe(`v${TEST_KUBE_VERSION}`);
    });

    it("denies a requestor without RBAC, naming impersonate-on first, then tries legacy (SPEC §4, §7, §10.2)", async () => {
      const requestor = userInfo(uniqueName("tester"));
      const obs = await observeProbe(cluster, {
        requestor,
        request: { method: "GET", path: "/api/v1/namespaces/default/pods/p", headers: [["Impersonate-User", "someone"]] },
      });
      expect(obs.code).toBe(403);
      expect(obs.outcome).toBe("impersonation-denied");
      expect(obs.message).toBe(
        `pods "p" is forbidden: User "${requestor.username}" cannot impersonate-on:user-info:get resource "pods" in API group "" in the namespace "default"`,
      );
      expect(obs.checks.map(brief)).toEqual([
        { user: requestor.username, verb: "impersonate-on:user-info:get", group: "", resource: "pods", subresource: "", namespace: "default", name: "p" },
        { user: requestor.username, verb: "impersonate", group: "", resource: "users", subresource: "", namespace: "", name: "someone" },
      ]);
      expect(obs.user).toBeNull();
    });

    it("authorizes the request as the impersonated user once both permissions are granted", async () => {
      const requestor = userInfo(uniqueName("deputy"));
      const name = uniqueName("deputy-role");
      await applyObjects(cluster, [
        clusterRole(name, [
          { apiGroups: [""], resources: ["pods"], verbs: ["impersonate-on:user-info:get"] },
          { apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"], verbs: ["impersonate-on:user-info:create"] },
          { apiGroups: ["authentication.k8s.io"], resources: ["users"], resourceNames: ["someone"], verbs: ["impersonate:user-info"] },
        ]),
        clusterRoleBinding(name, { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: requestor.username }),
      ]);
      await rbacBarrier(cluster);

      const get = await observeProbe(cluster, {
        requestor,
        request: { method: "GET", path: "/api/v1/namespaces/default/pods/p", headers: [["Impersonate-User", "someone"]] },
      });
      // Impersonation passed; `someone` has no RBAC to read pods, so the request itself is denied as them.
      expect(get.outcome).toBe("request-denied");
      expect(get.message).toBe(`pods "p" is forbidden: User "someone" cannot get resource "pods" in API group "" in the namespace "default"`);
      expect(get.user).toMatchObject({ username: "someone", groups: ["system:authenticated"] });
      expect(get.constraint).toBe("impersonate:user-info");
      expect(get.checks.map(brief)).toEqual([
        { user: requestor.username, verb: "impersonate-on:user-info:get", group: "", resource: "pods", subresource: "", namespace: "default", name: "p" },
        { user: requestor.username, verb: "impersonate:user-info", group: "authentication.k8s.io", resource: "users", subresource: "", namespace: "", name: "someone" },
        { user: "someone", verb: "get", group: "", resource: "pods", subresource: "", namespace: "default", name: "p" },
      ]);

      // A different request for the same wanted user by the same requestor within 10 s hits the inner
      // cache (SPEC §11), so the SelfSubjectReview uses a fresh requestor bound to the same role.
      const reviewer = userInfo(uniqueName("deputy"));
      await applyObjects(cluster, [
        clusterRoleBinding(`${name}-2`, { apiGroup: "rbac.authorization.k8s.io", kind: "User", name: reviewer.username }, name),
      ]);
      await rbacBarrier(cluster);
      const ssr = await observeProbe(cluster, {
        requestor: reviewer,
        request: {
          method: "POST",
          path: "/apis/authentication.k8s.io/v1/selfsubjectreviews",
          headers: [["Impersonate-User", "someone"]],
          body: { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
        },
      });
      expect(ssr.code).toBe(201);
      expect(ssr.outcome).toBe("allowed");
      const review = ssr.body as { status: { userInfo: { username: string; groups: string[] } } };
      expect(review.status.userInfo).toMatchObject({ username: "someone", groups: ["system:authenticated"] });
      expect(ssr.checks.map(brief)).toEqual([
        {
          user: reviewer.username,
          verb: "impersonate-on:user-info:create",
          group: "authentication.k8s.io",
          resource: "selfsubjectreviews",
          subresource: "",
          namespace: "",
          name: "",
        },
        { user: reviewer.username, verb: "impersonate:user-info", group: "authentication.k8s.io", resource: "users", subresource: "", namespace: "", name: "someone" },
        { user: "someone", verb: "create", group: "authentication.k8s.io", resource: "selfsubjectreviews", subresource: "", namespace: "", name: "" },
      ]);
    });

    it("lets a node-bound service account impersonate its own node (associated-node, SPEC §8)", async () => {
      const sa = uniqueName("node-agent");
      const requestor = userInfo(`system:serviceaccount:agents:${sa}`, {
        groups: ["system:serviceaccounts", "system:serviceaccounts:agents"],
        extra: { [NODE_NAME_EXTRA]: ["node1"] },
      });
      const name = uniqueName("node-agent-role");
      await applyObjects(cluster, [
        clusterRole(name, [
          { apiGroups: [""], resources: ["pods"], verbs: ["impersonate-on:associated-node:list"] },
          { apiGroups: ["authentication.k8s.io"], resources: ["nodes"], verbs: ["impersonate:associated-node"] },
        ]),
        clusterRoleBinding(name, { kind: "ServiceAccount", name: sa, namespace: "agents" }),
      ]);
      await rbacBarrier(cluster);
      const obs = await observeProbe(cluster, {
        requestor,
        request: { method: "GET", path: "/api/v1/pods?fieldSelector=spec.nodeName%3Dnode1", headers: [["Impersonate-User", "system:node:node1"]] },
      });
      expect(obs.code).toBe(200);
      expect(obs.outcome).toBe("allowed");
      expect(obs.user).toMatchObject({ username: "system:node:node1", groups: ["system:nodes", "system:authenticated"] });
      expect(obs.constraint).toBe("impersonate:associated-node");
      expect(obs.audit?.authenticationMetadata?.impersonationConstraint).toBe("impersonate:associated-node");
      const [c1, n2, final] = obs.checks.map((c) => c.attributes);
      expect(obs.checks).toHaveLength(3);
      // R': the requestor's extras are replaced by the sorted list of their keys (SPEC §4 notes).
      expect(c1?.user.extra).toEqual({ "authentication.kubernetes.io/associated-node-keys": [NODE_NAME_EXTRA] });
      expect(c1?.verb).toBe("impersonate-on:associated-node:list");
      expect(c1?.fieldSelector).toEqual([{ key: "spec.nodeName", operator: "In", values: ["node1"] }]);
      expect(n2).toMatchObject({ verb: "impersonate:associated-node", group: "authentication.k8s.io", resource: "nodes", name: "*" });
      expect(final).toMatchObject({ verb: "list", resource: "pods", user: { username: "system:node:node1" } });
    });
  });

  describe(label(false), () => {
    let cluster: StartedCluster;
    beforeAll(async () => {
      cluster = await makeProvider().start({ version: TEST_KUBE_VERSION, gate: false });
    });
    afterAll(async () => {
      await cluster?.stop();
    });

    it("denies with the legacy filter's message about impersonate on users", async () => {
      const requestor = userInfo(uniqueName("tester"));
      const obs = await observeProbe(cluster, {
        requestor,
        request: { method: "GET", path: "/api/v1/namespaces/default/pods/p", headers: [["Impersonate-User", "someone"]] },
      });
      expect(obs.code).toBe(403);
      expect(obs.outcome).toBe("impersonation-denied");
      expect(obs.message).toBe(`users "someone" is forbidden: User "${requestor.username}" cannot impersonate resource "users" in API group "" at the cluster scope`);
      expect(obs.checks.map(brief)).toEqual([
        { user: requestor.username, verb: "impersonate", group: "", resource: "users", subresource: "", namespace: "", name: "someone" },
      ]);
      // Gate off builds the object reference without an apiVersion (SPEC §4 notes).
      expect(obs.checks[0]?.attributes.version).toBe("");
    });
  });
}

/** What every provider must have released after stop(): its processes and its paths. */
export function expectReleased(resources: ClusterResources): void {
  for (const pid of resources.pids) expect(alive(pid), `pid ${pid} still alive`).toBe(false);
  for (const p of resources.paths) expect(existsSync(p), `${p} still exists`).toBe(false);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The fields of a check a test names, so expectations read like the SPEC's tables. */
function brief(c: { attributes: CheckAttributes }) {
  const a = c.attributes;
  return a.resourceRequest
    ? { user: a.user.username, verb: a.verb, group: a.group, resource: a.resource, subresource: a.subresource, namespace: a.namespace, name: a.name }
    : { user: a.user.username, verb: a.verb, path: a.path };
}

const clusterRole = (name: string, rules: object[]): ApplyManifest => ({ apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules });
const clusterRoleBinding = (name: string, subject: object, role = name): ApplyManifest => ({
  apiVersion: "rbac.authorization.k8s.io/v1",
  kind: "ClusterRoleBinding",
  metadata: { name },
  roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
  subjects: [subject],
});
