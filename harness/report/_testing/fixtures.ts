import type { Check, CheckAttributes, JournalRecord, RunSummary, ScenarioResult, UserInfo } from "../../core/index.ts";
import { userInfo } from "../../core/index.ts";

/**
 * Small fixed records and summaries for the report and journal tests.
 * @internal
 */

/** Everything a fuzzer might put in a string that could break a report. */
export const NASTY = "<script>alert(1)</script> ]]> a|b `tick` ``` $x$ *em* \u0000 \u0001 \u001f \uffff 😀 & \"q\" 'a' \ud800 end";

const alice: UserInfo = userInfo("alice", { groups: ["system:authenticated"] });
const bob: UserInfo = userInfo("bob", { uid: "bob-uid", groups: ["devs", "system:authenticated"] });

export function attrs(user: UserInfo, partial: Partial<CheckAttributes>): CheckAttributes {
  return {
    user,
    verb: "get",
    resourceRequest: true,
    namespace: "",
    group: "",
    version: "",
    resource: "",
    subresource: "",
    name: "",
    path: "",
    ...partial,
  };
}

const impersonateOn: Check = {
  attributes: attrs(alice, { verb: "impersonate-on:user-info:list", version: "v1", resource: "pods", namespace: "default" }),
  decision: "allow",
  decidedBy: "rbac",
};
const impersonateUser: Check = {
  attributes: attrs(alice, { verb: "impersonate:user-info", group: "authentication.k8s.io", resource: "users", name: "bob" }),
  decision: "deny",
  decidedBy: "none",
};
const impersonateUserObserved: Check = {
  attributes: attrs(alice, { verb: "impersonate:user-info", group: "authentication.k8s.io", resource: "users", name: "bob", version: "v1" }),
};
const listAsBob: Check = { attributes: attrs(bob, { verb: "list", version: "v1", resource: "pods", namespace: "default" }) };

export function divergenceRecord(overrides: Partial<JournalRecord> = {}): JournalRecord {
  const probe = {
    requestor: alice,
    request: {
      method: "GET",
      path: "/api/v1/namespaces/default/pods",
      headers: [
        ["Impersonate-User", "bob"],
        ["Impersonate-Group", "devs"],
      ] as const,
    },
  };
  return {
    kind: "divergence",
    runId: "run-20261128-0001",
    recordedAt: "2026-11-28T18:10:00.000Z",
    kubeVersion: "1.37.2",
    gate: true,
    seed: 42,
    path: "3:1:0",
    case: {
      id: "c17",
      objects: [
        {
          apiVersion: "rbac.authorization.k8s.io/v1",
          kind: "ClusterRole",
          metadata: { name: "c17-impersonate-on" },
          rules: [{ verbs: ["impersonate-on:user-info:list"], apiGroups: [""], resources: ["pods"] }],
        },
      ],
      probes: [probe],
    },
    probeIndex: 0,
    probe,
    predicted: {
      code: 403,
      outcome: "impersonation-denied",
      message: 'users "bob" is forbidden: User "alice" cannot impersonate:user-info resource "users"',
      checks: [impersonateOn, impersonateUser],
      user: null,
      constraint: "",
      mode: null,
      indeterminate: [],
    },
    observed: {
      code: null,
      outcome: "allowed",
      message: null,
      checks: [{ attributes: impersonateOn.attributes }, impersonateUserObserved, listAsBob],
      user: bob,
      constraint: "impersonate:user-info",
      auditId: "0b6c5c1e-aaaa-bbbb-cccc-000000000001",
    },
    comparison: {
      diffs: [
        { field: "code", predicted: 403, observed: null },
        { field: "outcome", predicted: "impersonation-denied", observed: "allowed" },
        { field: "checks", predicted: [impersonateOn, impersonateUser], observed: [{ attributes: impersonateOn.attributes }, impersonateUserObserved, listAsBob] },
      ],
      firstCheckDiff: { index: 1, predicted: impersonateUser.attributes, observed: impersonateUserObserved.attributes, fields: ["version"] },
      skipped: [{ field: "constraint", reason: "audit log not available" }],
      classification: "outcome: allowed where impersonation-denied predicted",
    },
    originalSize: { objects: 6, probes: 4 },
    ...overrides,
  };
}

export function flakeRecord(): JournalRecord {
  const base = divergenceRecord();
  return {
    ...base,
    kind: "flake",
    case: { ...base.case, id: "c18" },
    comparison: { ...base.comparison, classification: "code: 500 where 403 predicted", diffs: [{ field: "code", predicted: 403, observed: 500 }], firstCheckDiff: undefined },
    replay: { ...base.observed, code: 403, outcome: "impersonation-denied", user: null, constraint: "", auditId: "replay-1" },
  };
}

export function fuzzSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  return {
    runId: "run-20261128-0001",
    command: "run",
    startedAt: "2026-11-28T18:00:00.000Z",
    finishedAt: "2026-11-28T18:12:03.500Z",
    wallSeconds: 723.5,
    seed: 42,
    provider: "local",
    kubeVersion: "1.37.2",
    serverVersion: "v1.37.2",
    gate: true,
    versions: { impfuzz: "0.1.0", node: "v20.20.2" },
    cases: 120,
    probes: 480,
    probesPerSecond: 0.66,
    divergences: 1,
    divergencesByClass: { "outcome: allowed where impersonation-denied predicted": 1 },
    flakes: 1,
    indeterminates: { "message: aggregated error text": 3 },
    coverage: { cells: { "user-info × allowed × direct": 40, "serviceaccount × denied × fallback": 2 }, unreached: ["arbitrary-node × allowed × fallback"] },
    ...overrides,
  };
}

export function scenario(partial: Partial<ScenarioResult> & Pick<ScenarioResult, "name" | "file">): ScenarioResult {
  return { passed: true, steps: [{ step: 1, name: "first", passed: true, failures: [], code: 200, outcome: "allowed", seconds: 0.1 }], seconds: 0.25, ...partial };
}

export function scenarioSummary(): RunSummary {
  return fuzzSummary({
    command: "scenarios",
    seed: undefined,
    cases: 0,
    probes: 0,
    probesPerSecond: 0,
    divergences: 0,
    divergencesByClass: {},
    flakes: 0,
    indeterminates: {},
    coverage: { cells: {}, unreached: [] },
    scenarios: [
      scenario({ name: "user-info allowed", file: "scenarios/upstream/user-info.yaml" }),
      scenario({
        name: "deny | pipes `and` <b>tags</b>",
        file: "scenarios/kep/deny.yaml",
        passed: false,
        seconds: 1.5,
        steps: [
          { step: 1, name: "ok", passed: true, failures: [], seconds: 0.2 },
          {
            step: 2,
            name: "denied",
            passed: false,
            code: 200,
            outcome: "allowed",
            message: null,
            failures: [
              { against: "expect", field: "code", expected: 403, observed: 200 },
              { against: "oracle", field: "checks[1].verb", expected: "impersonate:user-info", observed: "impersonate" },
            ],
            seconds: 0.3,
          },
        ],
      }),
      scenario({ name: "needs 1.38", file: "scenarios/kep/future.yaml", skipped: "requires kube >= 1.38", steps: [] }),
      scenario({ name: "broken", file: "./scenarios/bugs/broken.yaml", passed: false, error: "ClusterUnreachableError: connection refused\nat line 2", steps: [] }),
    ],
  });
}

/** A divergence with NASTY in every free-text place a report shows. */
export function nastyRecord(): JournalRecord {
  const base = divergenceRecord();
  const requestor = { username: NASTY, uid: "", groups: [NASTY], extra: { [NASTY]: [NASTY] } };
  const probe = { requestor, request: { method: "GET", path: `/api?q=${NASTY}`, headers: [["Impersonate-User", NASTY] as const, [NASTY, "v\r\nInjected: 1"] as const] } };
  return {
    ...base,
    case: {
      id: `c-${NASTY}`,
      objects: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: NASTY }, note: "```\n````" }],
      probes: [probe],
    },
    probe,
    predicted: { ...base.predicted, message: NASTY },
    comparison: {
      ...base.comparison,
      diffs: [{ field: "message", predicted: NASTY, observed: `${NASTY}|x` }],
      skipped: [{ field: "constraint", reason: NASTY }],
      classification: `message: ${NASTY}`,
    },
  };
}
