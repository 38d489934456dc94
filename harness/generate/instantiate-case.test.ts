import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CaseProbe, FuzzCase, Manifest, PolicyRule, Subject, UserInfo } from "../core/index.ts";
import { canonicalHeaderKey, readWantedUser } from "./_internals/helpers/headers.ts";
import { classifyUsername, serviceAccountOf } from "./_internals/helpers/usernames.ts";
import { caseProblems } from "./_internals/testing/validate.ts";
import { type CaseTemplate, fuzzCaseArb } from "./fuzz-case.ts";
import { instantiateCase, isSafeRequest } from "./instantiate-case.ts";

const prefixArb = fc.stringMatching(/^[a-z][a-z0-9]{2,9}-$/);
const NUM_RUNS = 120;

function subjectsOf(c: { objects: readonly Manifest[] }): Subject[][] {
  return c.objects.map((m) => (m["subjects"] ?? []) as Subject[]);
}

/** RBAC's subject matching (appliesToUser), without the system:authenticated the server adds. */
function matches(s: Subject, u: { username: string; groups: readonly string[] }): boolean {
  if (s.kind === "User") return s.name === u.username;
  if (s.kind === "Group") return u.groups.includes(s.name);
  return u.username === `system:serviceaccount:${s.namespace}:${s.name}`;
}

function wantedOf(p: CaseProbe): { username: string; groups: readonly string[] } {
  const w = readWantedUser(p.request.headers);
  return { username: w.name, groups: w.groups };
}

/** For every (binding subject, probe): does it name the requestor, the impersonated user? */
function matchMatrix(c: { objects: readonly Manifest[]; probes: readonly CaseProbe[] }): string {
  const rows: string[] = [];
  subjectsOf(c).forEach((subjects, i) =>
    subjects.forEach((s, j) => rows.push(`${i}.${j}:${c.probes.map((p) => `${+matches(s, p.requestor)}${+matches(s, wantedOf(p))}`).join("")}`)),
  );
  return rows.join(" ");
}

/** For every binding: which object its roleRef resolves to (index), or missing. */
function roleRefTargets(c: { objects: readonly Manifest[] }): string {
  return c.objects
    .map((m) => {
      const ref = m["roleRef"] as { kind: string; name: string } | undefined;
      if (!ref) return "-";
      const k = c.objects.findIndex((o) => o.kind === ref.kind && o.metadata.name === ref.name && (ref.kind === "ClusterRole" || o.metadata.namespace === m.metadata.namespace));
      return k < 0 ? `missing:${ref.name.length > 0}` : String(k);
    })
    .join(",");
}

/** For every rule with resourceNames and every probe: which of the wanted name, groups, SA name it lists. */
function nameContainment(c: { objects: readonly Manifest[]; probes: readonly CaseProbe[] }): string {
  const lists = c.objects.flatMap((m) => ((m["rules"] ?? []) as PolicyRule[]).map((r) => r.resourceNames ?? []));
  return c.probes
    .map((p) => {
      const w = readWantedUser(p.request.headers);
      const items = [w.name, ...w.groups, serviceAccountOf(w.name)?.name ?? "", serviceAccountOf(w.name)?.namespace ?? ""];
      return lists.map((l) => items.map((x) => +l.includes(x)).join("")).join("|");
    })
    .join(" ");
}

/** What the filter decides from names alone must not change (SPEC §6). */
function classification(p: CaseProbe): string {
  const w = readWantedUser(p.request.headers);
  return [classifyUsername(p.requestor.username), classifyUsername(w.name), JSON.stringify(p.requestor.extra), w.uid, JSON.stringify(w.extra), p.request.method].join(" ");
}

function namespaceOfPath(path: string): string | undefined {
  return /\/namespaces\/([^/?]+)/.exec(path)?.[1];
}

function templateCase(t: CaseTemplate): { objects: readonly Manifest[]; probes: readonly CaseProbe[] } {
  return { objects: t.objects, probes: t.probes.map((p) => ({ requestor: p.requestor, request: p.request })) };
}

describe("instantiateCase", () => {
  it("yields valid cases whose local names all carry the prefix", () => {
    fc.assert(
      fc.property(fuzzCaseArb(), prefixArb, (t, prefix) => {
        const c = instantiateCase(t, prefix);
        expect(caseProblems(c)).toEqual([]);
        for (const m of c.objects) {
          expect(m.metadata.name.startsWith(prefix), m.metadata.name).toBe(true);
          if (m.metadata.namespace !== undefined) expect(m.metadata.namespace.startsWith(prefix)).toBe(true);
        }
        for (const p of c.probes) {
          expect(p.requestor.username).toContain(prefix);
          const ns = namespaceOfPath(p.request.path);
          if (ns !== undefined) expect(ns.startsWith(prefix) ? c.objects.some((o) => o.kind === "Namespace" && o.metadata.name === ns) : ["default", "kube-system"].includes(ns)).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS, seed: 5 },
    );
  });

  it("renames consistently: subjects still name the same requestors and targets, roleRefs the same roles, resourceNames the same items", () => {
    fc.assert(
      fc.property(fuzzCaseArb(), prefixArb, (t, prefix) => {
        const before = templateCase(t);
        const after = instantiateCase(t, prefix);
        expect(matchMatrix(after)).toBe(matchMatrix(before));
        expect(roleRefTargets(after)).toBe(roleRefTargets(before));
        expect(nameContainment(after)).toBe(nameContainment(before));
        expect(after.probes.map(classification)).toEqual(before.probes.map(classification));
      }),
      { numRuns: NUM_RUNS, seed: 6 },
    );
  });

  it("keeps cluster-wide grants to names carrying the prefix (no leak into other cases)", () => {
    fc.assert(
      fc.property(fuzzCaseArb(), prefixArb, (t, prefix) => {
        for (const m of instantiateCase(t, prefix).objects) {
          if (m.kind !== "ClusterRoleBinding") continue;
          for (const s of m["subjects"] as Subject[]) expect(s.kind === "ServiceAccount" ? s.namespace!.startsWith(prefix) : s.name.includes(prefix), JSON.stringify(s)).toBe(true);
        }
      }),
      { numRuns: NUM_RUNS, seed: 7 },
    );
  });

  it("two executions share no server state: disjoint requestors, objects and namespaces", () => {
    fc.assert(
      fc.property(fuzzCaseArb(), prefixArb, prefixArb, (t, p1, p2) => {
        fc.pre(p1 !== p2);
        const a = instantiateCase(t, p1);
        const b = instantiateCase(t, p2);
        const key = (m: Manifest) => `${m.kind}/${m.metadata.namespace ?? ""}/${m.metadata.name}`;
        const objectsA = new Set(a.objects.map(key));
        expect(b.objects.filter((m) => objectsA.has(key(m)))).toEqual([]);
        const usersA = new Set(a.probes.map((p) => p.requestor.username));
        expect(b.probes.filter((p) => usersA.has(p.requestor.username))).toEqual([]);
      }),
      { numRuns: 60, seed: 8 },
    );
  });

  it("leaves targets, uids, extras, node names and bootstrap roles alone", () => {
    const t: CaseTemplate = {
      objects: [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "ns-a" } },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "p0-legacy-sa", namespace: "ns-a" }, subjects: [{ kind: "ServiceAccount", name: "r0", namespace: "ns-a" }], roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" } },
        { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "p0-id" }, rules: [{ verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: ["users", "groups"], resourceNames: ["bob", "r0", "tg-a", "viewers"] }] },
      ],
      probes: [
        {
          requestor: { username: "system:serviceaccount:ns-a:r0", uid: "u", groups: ["system:serviceaccounts:ns-a", "rg-a"], extra: { "authentication.kubernetes.io/node-name": ["node1"] } },
          request: {
            method: "GET",
            path: "/api/v1/namespaces/ns-a/pods?fieldSelector=spec.nodeName%3Dnode1",
            headers: [["Impersonate-User", "system:serviceaccount:ns-a:app"], ["impersonate-group", "tg-a"], ["Impersonate-Group", "viewers"], ["Impersonate-Extra-example.com%2Fscopes", "r0"], ["Impersonate-Uid", "r0"]],
          },
          intent: { mode: "chaos", variant: "hand-made", grantMode: "legacy", grant: "full", alsoLegacy: false, finalGrant: false },
        },
      ],
    };
    const c: FuzzCase = instantiateCase(t, "x1-");
    expect(c.id).toBe("x1");
    expect(c.objects.map((o) => o.metadata.name)).toEqual(["x1-ns-a", "x1-p0-legacy-sa", "x1-p0-id"]);
    expect((c.objects[1]!["roleRef"] as { name: string }).name).toBe("edit");
    expect((c.objects[1]!["subjects"] as Subject[])[0]).toEqual({ kind: "ServiceAccount", name: "x1-r0", namespace: "x1-ns-a" });
    expect((c.objects[2]!["rules"] as PolicyRule[])[0]!.resourceNames).toEqual(["bob", "x1-r0", "x1-tg-a", "viewers"]);
    const p = c.probes[0]!;
    expect(p.requestor).toEqual<UserInfo>({ username: "system:serviceaccount:x1-ns-a:x1-r0", uid: "u", groups: ["system:serviceaccounts:x1-ns-a", "x1-rg-a"], extra: { "authentication.kubernetes.io/node-name": ["node1"] } });
    expect(p.request.path).toBe("/api/v1/namespaces/x1-ns-a/pods?fieldSelector=spec.nodeName%3Dnode1");
    expect(p.request.headers).toEqual([["Impersonate-User", "system:serviceaccount:x1-ns-a:app"], ["impersonate-group", "x1-tg-a"], ["Impersonate-Group", "viewers"], ["Impersonate-Extra-example.com%2Fscopes", "r0"], ["Impersonate-Uid", "r0"]]);
    expect(p).not.toHaveProperty("intent");
  });

  it("with an empty prefix returns the template's own names; it is pure and deterministic", () => {
    for (const t of fc.sample(fuzzCaseArb(), { seed: 9, numRuns: 40 })) {
      const snapshot = JSON.stringify(t);
      const c = instantiateCase(t, "");
      expect(c.id).toBe("template");
      expect(JSON.stringify({ objects: c.objects, probes: c.probes })).toBe(JSON.stringify(templateCase(t)));
      expect(JSON.stringify(instantiateCase(t, "ab-"))).toBe(JSON.stringify(instantiateCase(t, "ab-")));
      expect(JSON.stringify(t)).toBe(snapshot);
    }
  });

  it("stays within DNS limits with the longest prefix", () => {
    const prefix = `a${"b".repeat(38)}-`;
    for (const t of fc.sample(fuzzCaseArb(), { seed: 10, numRuns: 30 })) expect(caseProblems(instantiateCase(t, prefix))).toEqual([]);
  });

  it("never lets a mutating request through without dryRun=All", () => {
    for (const t of fc.sample(fuzzCaseArb(), { seed: 11, numRuns: 300 })) {
      for (const p of instantiateCase(t, "s-").probes) {
        const mutating = ["POST", "PUT", "PATCH", "DELETE"].includes(p.request.method);
        if (mutating && !p.request.path.startsWith("/apis/authentication.k8s.io/v1/selfsubjectreviews")) expect(p.request.path).toMatch(/[?&]dryRun=All(&|$)/);
      }
    }
    expect(isSafeRequest("DELETE", "/api/v1/nodes/node1")).toBe(false);
    expect(isSafeRequest("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews")).toBe(true);
    expect(isSafeRequest("patch", "/api/v1/namespaces/a/pods/x?dryRun=All")).toBe(true);
  });

  it("refuses bad prefixes and unsafe or ambiguous hand-made templates", () => {
    const [t] = fc.sample(fuzzCaseArb({ minProbes: 2, maxProbes: 2 }), { seed: 12, numRuns: 1 });
    for (const bad of ["UP-", "-x", "a_b-", `a${"b".repeat(40)}`]) expect(() => instantiateCase(t!, bad)).toThrow(/prefix/);
    const unsafe: CaseTemplate = { ...t!, probes: [{ ...t!.probes[0]!, request: { method: "DELETE", path: "/api/v1/nodes/node1", headers: [] } }] };
    expect(() => instantiateCase(unsafe, "a-")).toThrow(/dry run/);
    const twins: CaseTemplate = { ...t!, probes: [t!.probes[0]!, t!.probes[0]!] };
    expect(() => instantiateCase(twins, "a-")).toThrow(/reuses/);
    const crlf: CaseTemplate = { ...t!, probes: [{ ...t!.probes[0]!, request: { ...t!.probes[0]!.request, headers: [["Impersonate-User", "a\r\nb"]] } }] };
    expect(() => instantiateCase(crlf, "a-")).toThrow(/cannot be sent/);
  });

  it("renames Impersonate-User values that are the requestor's own name (self-impersonation)", () => {
    const selfish = fc.sample(fuzzCaseArb({ modes: { "user-info": 1 } }), { seed: 13, numRuns: 300 }).flatMap((t) => t.probes.filter((p) => p.intent.variant.startsWith("self")).map((p) => ({ t, p })));
    expect(selfish.length).toBeGreaterThan(5);
    for (const { t, p } of selfish) {
      const c = instantiateCase(t, "me-");
      const q = c.probes[t.probes.indexOf(p)]!;
      const user = q.request.headers.find(([n]) => canonicalHeaderKey(n) === "Impersonate-User")?.[1];
      expect(user).toBe(q.requestor.username);
    }
  });
});
