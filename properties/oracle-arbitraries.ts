/**
 * Inputs for the oracle invariant properties (properties/oracle-*.test.ts): small vocabularies chosen
 * so every mode, both outcomes and the sanity checks are reachable, and an authorizer made of name-based
 * grants (monotone and blind to groups, so "one more grant" has a clear meaning). Kept local to the
 * properties: the fuzzer's own generators live in harness/generate/.
 */
import fc from "fast-check";
import type { CheckAttributes, ImpersonationRequest, UserInfo } from "../harness/core/index.ts";
import type { Authorizer, AuthorizerAnswer } from "../harness/oracle/authorizer.ts";
import { predictRequest, type OraclePrediction } from "../harness/oracle/predict.ts";
import { emptyState, type OracleState } from "../harness/oracle/state.ts";
import type { FilterRequest } from "../harness/oracle/types.ts";
import { filterRequest, impersonationHeaders, type RequestInfo } from "../harness/oracle/upstream-helpers.ts";

/** Few runs by default so `npm test` stays fast; IMPFUZZ_PROPERTY_RUNS raises it. */
export const RUNS = Number(process.env.IMPFUZZ_PROPERTY_RUNS ?? 60);

export const REQUESTS: readonly RequestInfo[] = [
  { isResourceRequest: true, verb: "get", apiVersion: "v1", resource: "pods", name: "foo", namespace: "bar" },
  { isResourceRequest: true, verb: "create", apiVersion: "v1", resource: "pods", namespace: "bar" },
  { isResourceRequest: true, verb: "list", apiVersion: "v1", apiGroup: "apps", resource: "deployments" },
  { isResourceRequest: false, verb: "get", path: "/healthz" },
];

export const WANTED_NAMES = [
  "bob", "system:anonymous", "system:node:n1", "system:node:n2", "system:node:N1", "system:node:",
  "system:serviceaccount:ns1:sa1", "system:serviceaccount:ns1", "system:serviceaccount:ns1:a:b",
] as const;

export const VALID_NODE_NAMES: ReadonlySet<string> = new Set(["system:node:n1", "system:node:n2"]);
export const VALID_SA_NAMES: ReadonlySet<string> = new Set(["system:serviceaccount:ns1:sa1"]);

const GROUPS = ["g1", "g2", "g3", "", "system:masters", "system:authenticated", "system:unauthenticated"];
const EXTRA_KEYS = ["example.com/a", "b.io/c", "scopes", "example.com/%41"];

/** Present one time in four (fc.option's `freq` is the odds of nil, not of a value). */
const rarely = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: arb, weight: 1 });
export const wantedArb: fc.Arbitrary<ImpersonationRequest> = fc
  .record({
    user: fc.constantFrom(...WANTED_NAMES),
    uid: rarely(fc.constant("uid-1")),
    groups: rarely(fc.array(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 5 })),
    extra: rarely(fc.dictionary(fc.constantFrom(...EXTRA_KEYS), fc.array(fc.constantFrom("v1", "v2", ""), { minLength: 1, maxLength: 2 }), { minKeys: 1, maxKeys: 2 })),
  })
  .map((w): ImpersonationRequest => Object.fromEntries(Object.entries(w).filter(([, v]) => v !== undefined)));

const REQUESTOR_NAMES = ["alice", "carol", "system:serviceaccount:ns1:agent"];
export const requestorArb: fc.Arbitrary<UserInfo> = fc
  .record({ name: fc.constantFrom(...REQUESTOR_NAMES), onNode: fc.constantFrom(null, "n1", "n2") })
  .map(({ name, onNode }): UserInfo => ({
    username: name,
    uid: "",
    groups: ["system:authenticated"],
    extra: onNode ? { "authentication.kubernetes.io/node-name": [onNode] } : {},
  }));

/** A grant allows every check matching all its given fields (absent = any). */
export interface Grant {
  readonly user?: string;
  readonly verb: string;
  readonly resource?: string;
  readonly name?: string;
}

const MODES = ["associated-node", "arbitrary-node", "serviceaccount", "user-info"];
const VERBS = ["get", "create", "list"];

/**
 * Grants that matter for the vocabulary above; a world is a random subset, so every mode succeeds or
 * fails on some inputs (fully random grants almost never line up into a success).
 */
export const GRANT_CATALOGUE: readonly Grant[] = [
  ...MODES.flatMap((m) => VERBS.map((v) => ({ verb: `impersonate-on:${m}:${v}` }))),
  { verb: "impersonate-on:user-info:get", user: "alice" },
  { verb: "impersonate:user-info", resource: "users" },
  { verb: "impersonate:user-info", resource: "users", name: "bob" },
  { verb: "impersonate:user-info", resource: "uids" },
  { verb: "impersonate:user-info", resource: "groups" },
  { verb: "impersonate:user-info", resource: "groups", name: "*" },
  { verb: "impersonate:user-info", resource: "groups", name: "g1" },
  { verb: "impersonate:user-info", resource: "userextras" },
  { verb: "impersonate:user-info", resource: "userextras", name: "*" },
  { verb: "impersonate:serviceaccount", resource: "serviceaccounts" },
  { verb: "impersonate:serviceaccount" }, // any resource, as `resources: ["*"]` would
  { verb: "impersonate:arbitrary-node" },
  { verb: "impersonate:user-info" },
  { verb: "impersonate:arbitrary-node", resource: "nodes" },
  { verb: "impersonate:arbitrary-node", resource: "nodes", name: "n1" },
  { verb: "impersonate:associated-node", resource: "nodes", name: "*" },
  { verb: "impersonate", resource: "users" },
  { verb: "impersonate", resource: "users", user: "carol" },
  { verb: "impersonate", resource: "groups" },
  { verb: "impersonate", resource: "uids" },
  { verb: "impersonate", resource: "userextras" },
  { verb: "impersonate", resource: "serviceaccounts" },
  ...VERBS.map((v) => ({ verb: v })),
  { verb: "get", user: "bob" },
  { verb: "get", user: "system:node:n1" },
];

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 2, nil: undefined });
const freeGrantArb: fc.Arbitrary<Grant> = fc
  .record({
    user: maybe(fc.constantFrom(...REQUESTOR_NAMES, "bob", "system:node:n1", "system:serviceaccount:ns1:sa1")),
    verb: fc.constantFrom(...GRANT_CATALOGUE.map((g) => g.verb)),
    resource: maybe(fc.constantFrom("pods", "deployments", "users", "groups", "uids", "userextras", "serviceaccounts", "nodes", "")),
    name: maybe(fc.constantFrom("bob", "*", "n1", "g1", "v1", "foo")),
  })
  .map((g): Grant => Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined)) as unknown as Grant);

/** One grant: from the catalogue, or a freely combined one. */
export const grantArb: fc.Arbitrary<Grant> = fc.oneof(fc.constantFrom(...GRANT_CATALOGUE), freeGrantArb);

/** A world and one more grant it does not have yet (a catalogue grant it lacks, or a free one). */
export const grantsAndOneMoreArb: fc.Arbitrary<[Grant[], Grant]> = fc
  .tuple(
    fc.array(fc.noBias(fc.boolean()), { minLength: GRANT_CATALOGUE.length, maxLength: GRANT_CATALOGUE.length }),
    fc.nat(),
    freeGrantArb,
    fc.nat({ max: 3 }),
  )
  .map(([keep, pick, free, kind]) => {
    const grants = GRANT_CATALOGUE.filter((_, i) => keep[i]);
    const missing = GRANT_CATALOGUE.filter((_, i) => !keep[i]);
    return [grants, kind === 0 || missing.length === 0 ? free : missing[pick % missing.length]!];
  });

/** Each catalogue grant independently with probability ½ (fc.subarray favours tiny subsets). */
export const grantsArb: fc.Arbitrary<Grant[]> = fc
  .array(fc.noBias(fc.boolean()), { minLength: GRANT_CATALOGUE.length, maxLength: GRANT_CATALOGUE.length })
  .map((keep) => GRANT_CATALOGUE.filter((_, i) => keep[i]));

const ALLOW: AuthorizerAnswer = { decision: "allow", reason: "", decidedBy: "rbac" };
const NO: AuthorizerAnswer = { decision: "no-opinion", reason: "", decidedBy: "none" };

export function grantAuthorizer(grants: readonly Grant[]): Authorizer {
  const matches = (g: Grant, a: CheckAttributes): boolean =>
    (g.user === undefined || g.user === a.user.username) &&
    g.verb === a.verb &&
    (g.resource === undefined || g.resource === a.resource) &&
    (g.name === undefined || g.name === a.name);
  return { authorize: (a) => (grants.some((g) => matches(g, a)) ? ALLOW : NO) };
}

export interface Step {
  readonly requestor: UserInfo;
  readonly wanted: ImpersonationRequest;
  readonly request: number;
  /** ms to wait before this step (the caches live 10 s). */
  readonly wait: number;
}

export const stepArb: fc.Arbitrary<Step> = fc.record({
  requestor: requestorArb,
  wanted: wantedArb,
  request: fc.nat({ max: REQUESTS.length - 1 }),
  wait: fc.constantFrom(0, 0, 1, 4_000, 10_000),
});

export function filterRequestOf(i: number): FilterRequest {
  return filterRequest(REQUESTS[i]!);
}

export function predictOne(
  authorizer: Authorizer,
  requestor: UserInfo,
  wanted: ImpersonationRequest,
  request: number,
  options: { gate?: boolean; state?: OracleState; now?: number } = {},
): { prediction: OraclePrediction; state: OracleState } {
  return predictRequest(options.state ?? emptyState(), options.now ?? 0, { gate: options.gate ?? true }, {
    authorizer,
    requestor,
    headers: impersonationHeaders(wanted),
    request: filterRequestOf(request),
    requestURI: "/",
  }, true);
}

/** upstream modeFromVerb: which mode a check belongs to. */
export function modeOfVerb(verb: string): string {
  if (verb === "impersonate") return "legacy";
  const m = /^impersonate(?:-on)?:([a-z-]+)/.exec(verb);
  return m ? m[1]! : "final";
}

/** Maximal runs of consecutive checks of one mode (the final authorization is its own segment). */
export function segments(p: OraclePrediction): { mode: string; checks: OraclePrediction["checks"] }[] {
  const out: { mode: string; checks: OraclePrediction["checks"][number][] }[] = [];
  for (const c of p.checks) {
    const mode = modeOfVerb(c.attributes.verb);
    const last = out[out.length - 1];
    if (last && last.mode === mode && mode !== "final") last.checks.push(c);
    else out.push({ mode, checks: [c] });
  }
  return out;
}
