/**
 * The oracle against the real filters: testdata/filter-vectors.json holds random request sequences and
 * what k8s.io/apiserver's WithConstrainedImpersonation / WithImpersonation (v0.35.4 and v0.37.2) answered
 * (code, Status message, resulting user, every authorizer call in order with its decision). Each
 * sequence is replayed on one fresh oracle state; where Go map order makes the answer vary, the real
 * one must be the oracle's primary prediction or one of its alternatives.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { UserInfo } from "../core/index.ts";
import { grantAuthorizer, type Grant } from "../../properties/oracle-arbitraries.ts";
import type { Authorizer } from "./authorizer.ts";
import { predictRequest } from "./predict.ts";
import { emptyState } from "./state.ts";
import { filterRequest, type RequestInfo } from "./upstream-helpers.ts";

interface GoCheck extends Record<string, unknown> {
  user: UserInfo;
  decision: string;
}
interface GoResult {
  code: number;
  message?: string;
  user?: UserInfo;
  checks: GoCheck[];
}
interface Case {
  gate: boolean;
  grants: Grant[];
  reason: string;
  steps: { requestor: UserInfo; headers: [string, string][]; request: RequestInfo }[];
}

const v = JSON.parse(readFileSync(new URL("./testdata/filter-vectors.json", import.meta.url), "utf8")) as {
  cases: Case[];
  outputs: Record<string, GoResult[][]>;
};

/** Extra keys sorted, so the JSON comparison below does not depend on map order. */
const norm = (u: UserInfo) => ({
  username: u.username, uid: u.uid, groups: [...u.groups], extra: Object.fromEntries(Object.entries(u.extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
});
function withReason(a: Authorizer, reason: string): Authorizer {
  return { authorize: (x) => { const r = a.authorize(x); return r.decision === "allow" ? r : { ...r, reason }; } };
}

describe.each(Object.keys(v.outputs))("oracle vs the real k8s.io/apiserver filters %s", (version) => {
  v.cases.forEach((c, i) => {
    it(`case ${i} (gate ${c.gate ? "on" : "off"}, ${c.steps.length} requests)`, () => {
      const authorizer = withReason(grantAuthorizer(c.grants), c.reason);
      let state = emptyState();
      c.steps.forEach((s, j) => {
        const out = predictRequest(state, j, { gate: c.gate, finalAuthorization: false }, {
          authorizer, requestor: s.requestor, headers: s.headers, request: filterRequest(s.request), requestURI: "/",
        }, true);
        state = out.state;
        const p = out.prediction;
        const go = v.outputs[version]![i]![j]!;
        const real = {
          code: go.code,
          message: go.code === 200 ? null : go.message!,
          user: go.code === 200 ? norm(go.user!) : null,
          checks: go.checks.map((ch) => ({ ...ch, user: norm(ch.user) })),
        };
        const candidates = [p, ...(p.alternatives ?? [])].map((a) => ({
          code: p.code ?? 200,
          message: a.message,
          user: a.user && norm(a.user),
          checks: a.checks.map((ch) => ({ ...ch.attributes, user: norm(ch.attributes.user), decision: ch.decision })),
        }));
        const match = candidates.some((cand) => JSON.stringify(cand) === JSON.stringify(real));
        if (!match) expect({ step: j, ...candidates[0] }).toEqual({ step: j, ...real });
        expect(p.indeterminate).toEqual([]);
      });
    });
  });
});
