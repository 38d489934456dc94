/**
 * SPEC §14: the whole upstream catalogue as data (§14.1 constrained filter cases incl. the 1.36 ones,
 * §14.2 parallel cases as sequential equivalents, §14.3 legacy cases under both gates), plus the runner
 * that feeds one case through the oracle's filter model the way upstream's handler chain does: one fresh
 * filter per case, requests in order, the echo handler in place of WithAuthorization (so no final check).
 */
import { ManualClock } from "../core/index.ts";
import { predictRequest, type OraclePrediction } from "./predict.ts";
import { emptyState, type OracleState } from "./state.ts";
import { constrainedFilterCases, parallelCases } from "./upstream-cases-constrained.ts";
import { legacyFilterCases, legacySharedStateCase } from "./upstream-cases-legacy.ts";
import { filterRequest, impersonationHeaders, type Expectation, type TestRequest, type UpstreamCase } from "./upstream-helpers.ts";

export * from "./upstream-helpers.ts";
export { constrainedFilterCases, parallelCases, legacyFilterCases, legacySharedStateCase };

export const UPSTREAM_CASES: readonly UpstreamCase[] = [...constrainedFilterCases, ...parallelCases, ...legacyFilterCases, legacySharedStateCase];

export interface UpstreamStep {
  readonly request: TestRequest;
  readonly expectation: Expectation;
  readonly prediction: OraclePrediction;
  readonly state: OracleState;
}

/** Run one case under one gate on a fresh filter; the clock advances 1 ms per request (all within the TTL). */
export function runUpstreamCase(c: UpstreamCase, gate: boolean): UpstreamStep[] {
  const clock = new ManualClock(1_000_000);
  let state = emptyState();
  const steps: UpstreamStep[] = [];
  for (const request of c.requests) {
    const out = predictRequest(state, clock.now(), { gate, finalAuthorization: false }, {
      authorizer: c.authorizer,
      requestor: request.requestor,
      headers: impersonationHeaders(request.impersonatedUser, request.headerStyle),
      request: filterRequest(request.request),
      requestURI: "/",
    }, true); // copy-on-write: each step keeps its own snapshot

    state = out.state;
    steps.push({ request, expectation: gate ? request : (request.gateOff ?? request), prediction: out.prediction, state });
    clock.advance(1);
  }
  return steps;
}
