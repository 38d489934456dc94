import { describe, expect, it } from "vitest";
import type { CheckAttributes, UserInfo } from "../core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "./authorizer.ts";
import { predictRequest, type EngineOptions } from "./predict.ts";
import { emptyState, MODE_INDEX_CAPACITY, type OracleState } from "./state.ts";
import { filterRequest, u } from "./upstream-helpers.ts";
import { invalidKeyMessage } from "./upstream-cases-legacy.ts";

const getPod = filterRequest({ isResourceRequest: true, verb: "get", apiVersion: "v1", resource: "pods", name: "foo", namespace: "bar" });
const allowAll: Authorizer = { authorize: () => ({ decision: "allow", reason: "", decidedBy: "rbac" }) };
const noOpinion: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "none" };
const allowIf = (f: (a: CheckAttributes) => boolean): Authorizer => ({ authorize: (a) => (f(a) ? allowAll.authorize(a) : noOpinion) });
const requestor = u("r", { groups: ["system:authenticated"] });

function run(authorizer: Authorizer, headers: [string, string][], opts: Partial<EngineOptions> = {}, state: OracleState = emptyState(), who: UserInfo = requestor) {
  return predictRequest(state, 0, { gate: true, finalAuthorization: false, ...opts }, { authorizer, requestor: who, headers, request: getPod, requestURI: "/api/v1/namespaces/bar/pods/foo" });
}

describe("headers (§5) through the filter", () => {
  it("extra keys: canonical name, lower-cased, path-unescaped; merged spellings give alternatives", () => {
    const p = run(allowAll, [["Impersonate-User", "alice"], ["impersonate-extra-Example.com%2Fa", "1"], ["Impersonate-Extra-example.com%2fa", "2"], ["Impersonate-Extra-example.com/a", "3"]]);
    // "example.com/a" is not a token (the '/'): the server rejects the request before any filter
    expect(p.prediction).toMatchObject({ code: 400, outcome: "allowed", message: null });
    const q = run(allowAll, [["Impersonate-User", "alice"], ["impersonate-extra-Example.com%2Fa", "1"], ["Impersonate-Extra-example.com%2fa", "2"], ["Impersonate-Extra-Example.com%2F%61", "3"]]);
    // first two are one canonical name (values in wire order); the third decodes to the same key
    expect(q.prediction.user?.extra).toEqual({ "example.com/a": ["1", "2", "3"] });
    expect(q.prediction.alternatives?.map((a) => a.user?.extra)).toEqual([{ "example.com/a": ["1", "2", "3"] }, { "example.com/a": ["3", "1", "2"] }]);
    expect(q.prediction.indeterminate).toEqual([]);
    // the cache entries were keyed on an unknowable order: later requests of r say so
    const again = run(allowAll, [["Impersonate-User", "alice"]], {}, q.state);
    expect(again.prediction.indeterminate.map((n) => n.field)).toContain("checks");
  });

  it("400 without a user: %#v under gate on, object references under gate off", () => {
    const h: [string, string][] = [["Impersonate-Group", "g"], ["Impersonate-Extra-B", "x"], ["Impersonate-Extra-A", "y"], ["Impersonate-Uid", "id"]];
    expect(run(allowAll, h).prediction.message).toBe(
      `requested &user.DefaultInfo{Name:"", UID:"id", Groups:[]string{"g"}, Extra:map[string][]string{"a":[]string{"y"}, "b":[]string{"x"}}} without impersonating a user name`,
    );
    const off = run(allowAll, h, { gate: false }).prediction;
    expect(off.message).toBe(
      `requested [{Group  g    } {UserExtra  x  authentication.k8s.io/v1  b} {UserExtra  y  authentication.k8s.io/v1  a} {UID  id  authentication.k8s.io/v1  }] without impersonating a user`,
    );
    expect(off.alternatives?.map((a) => a.message)).toHaveLength(2); // extra header order is Go map order
    expect(off).toMatchObject({ code: 400, outcome: "bad-request", checks: [] });
  });

  it("an empty Impersonate-User with other headers is a 400; alone it is no impersonation", () => {
    expect(run(allowAll, [["Impersonate-User", ""], ["Impersonate-Group", ""]]).prediction.code).toBe(400);
    expect(run(allowAll, [["Impersonate-User", ""]]).prediction).toMatchObject({ code: null, mode: null, user: requestor });
  });
});

describe("Go map order of extra keys (§16.18)", () => {
  it("several denied keys: every admissible (checks, message) pair is listed", () => {
    const p = run(allowIf((a) => a.resource !== "userextras"), [["Impersonate-User", "alice"], ["Impersonate-Extra-a.io%2Fx", "1"], ["Impersonate-Extra-b.io%2Fy", "2"]]).prediction;
    const msgs = new Set(p.alternatives!.map((a) => a.message));
    expect(msgs.size).toBe(2);
    expect(p.message).toMatch(/^userextras.authentication.k8s.io "1" is forbidden/);
    expect(p.alternatives!.every((a) => a.message === p.message || a.message!.startsWith(`userextras.authentication.k8s.io "2"`))).toBe(true);
  });

  it("several invalid keys: the reported one is a choice", () => {
    const h: [string, string][] = [["Impersonate-User", "alice"], ["Impersonate-Extra-Scopes", "1"], ["Impersonate-Extra-a.io%2F%42", "2"]];
    const p = run(allowAll, h).prediction;
    // legacy succeeds afterwards, so the message is not observable: the user-info checks are the same in every order
    expect(p.mode).toBe("legacy");
    const q = run(allowIf((a) => a.verb !== "impersonate"), h).prediction;
    expect(q.alternatives!.map((a) => a.message!.replace(/.*not allowed: /, ""))).toEqual([
      `extra.key: Invalid value: "scopes": must be a domain-prefixed path (such as "acme.io/foo")`,
      `"a.io/B"`,
    ]);
  });

  it("the escaped-key validation message (upstream percent-escaped case)", () => {
    const p = run(allowIf((a) => a.verb !== "impersonate"), [["Impersonate-User", "system:admin"], ["Impersonate-Extra-example.com%2fescaped%e1%9b%84scopes", "a"]], {}, emptyState(), u("dev")).prediction;
    expect(p.message).toBe(invalidKeyMessage(`extra.key: Invalid value: "escaped\u16c4scopes": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')`));
  });
});

describe("indeterminate answers are named, never guessed", () => {
  it("an undecidable impersonation check taints the requestor", () => {
    const unsure: Authorizer = { authorize: (a) => (a.verb.startsWith("impersonate-on") ? { ...noOpinion, indeterminate: "node graph" } : allowAll.authorize(a)) };
    const out = run(unsure, [["Impersonate-User", "alice"]]);
    expect(out.prediction.indeterminate.map((n) => n.field).sort()).toEqual(["checks", "code", "message", "outcome", "user"]);
    const later = run(allowAll, [["Impersonate-User", "alice"]], {}, out.state);
    expect(later.prediction.indeterminate[0]?.reason).toMatch(/earlier request/);
  });

  it("an uncertain reason makes only the message indeterminate", () => {
    const a: Authorizer = { authorize: () => ({ ...noOpinion, reason: "RBAC: x", reasonIndeterminate: "map order" }) };
    const p = run(a, [["Impersonate-User", "alice"]]).prediction;
    expect(p.indeterminate).toEqual([{ field: "message", reason: "map order" }]);
    expect(p.status).not.toHaveProperty("uncertain");
  });
});

describe("final authorization (§2)", () => {
  it("an error with a non-allow decision is a plain-text 500", () => {
    const a: Authorizer = { authorize: (x) => (x.verb === "get" ? { ...noOpinion, error: "boom <x>" } : allowAll.authorize(x)) };
    const p = run(a, [["Impersonate-User", "alice"]], { finalAuthorization: true }).prediction;
    expect(p).toMatchObject({ code: 500, message: `Internal Server Error: "/api/v1/namespaces/bar/pods/foo": boom &lt;x&gt;`, mode: "user-info" });
  });
  it("gate off: Allow together with an error is a denial, and only the reason is shown", () => {
    const a: Authorizer = { authorize: () => ({ decision: "allow", reason: "r", error: "e", decidedBy: "webhook" }) };
    expect(run(a, [["Impersonate-User", "alice"]], { gate: false }).prediction.message).toBe(
      `users "alice" is forbidden: User "r" cannot impersonate resource "users" in API group "" at the cluster scope: r`,
    );
    expect(run(a, [["Impersonate-User", "alice"]]).prediction.mode).toBe("user-info"); // gate on accepts it
  });
});

describe("mode index (§7)", () => {
  it("is an LRU of 10 000 requestor names, refreshed by hits, written only on success", () => {
    let state = emptyState();
    for (let i = 0; i <= MODE_INDEX_CAPACITY; i++) {
      // just before the capacity is exceeded, a hit makes r0 the most recently used
      if (i === MODE_INDEX_CAPACITY) state = run(allowAll, [["Impersonate-User", "alice"]], {}, state, u("r0")).state;
      state = run(allowAll, [["Impersonate-User", "alice"]], {}, state, u(`r${i}`)).state;
    }
    expect(state.modeIndex.size).toBe(MODE_INDEX_CAPACITY);
    expect(state.modeIndex.has("r0")).toBe(true);
    expect(state.modeIndex.has("r1")).toBe(false);
    const denied = run(allowIf(() => false), [["Impersonate-User", "alice"]], {}, state, u("fresh"));
    expect(denied.state.modeIndex.has("fresh")).toBe(false);
  });
});
