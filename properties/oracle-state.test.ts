/**
 * Oracle invariants about the per-process state (SPEC §7, §11): the mode index changes only when a mode
 * succeeds, and a cache hit never adds checks.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { allModes } from "../harness/oracle/modes/index.ts";
import { emptyState, type OracleState } from "../harness/oracle/state.ts";
import { RUNS, grantAuthorizer, grantsArb, predictOne, stepArb } from "./oracle-arbitraries.ts";

const entries = (s: OracleState) => new Map(s.modeIndex);

test.prop([grantsArb, fc.array(stepArb, { minLength: 1, maxLength: 8 })], { numRuns: RUNS })(
  "the mode index changes only on success, and then records the mode that succeeded",
  (grants, steps) => {
    const authorizer = grantAuthorizer(grants);
    let state = emptyState();
    let now = 0;
    for (const s of steps) {
      now += s.wait;
      const before = entries(state);
      const out = predictOne(authorizer, s.requestor, s.wanted, s.request, { state, now });
      const after = entries(out.state);
      if (out.prediction.mode === null) expect(after).toEqual(before);
      else {
        expect(allModes[after.get(s.requestor.username)!]!.name).toBe(out.prediction.mode);
        before.set(s.requestor.username, after.get(s.requestor.username)!);
        expect(after).toEqual(before);
      }
      state = out.state;
    }
  },
);

test.prop([grantsArb, fc.array(stepArb, { maxLength: 4 }), stepArb, fc.integer({ min: 0, max: 9_999 })], { numRuns: RUNS })(
  "repeating a request within 10 s never adds checks; after a constrained success only the final check is left",
  (grants, history, s, delay) => {
    const authorizer = grantAuthorizer(grants);
    let state = emptyState();
    let now = 0;
    for (const h of history) {
      now += h.wait;
      state = predictOne(authorizer, h.requestor, h.wanted, h.request, { state, now }).state;
    }
    const first = predictOne(authorizer, s.requestor, s.wanted, s.request, { state, now });
    const again = predictOne(authorizer, s.requestor, s.wanted, s.request, { state: first.state, now: now + delay }).prediction;
    expect(again.checks.length).toBeLessThanOrEqual(first.prediction.checks.length);
    if (first.prediction.constraint !== "") expect(again.checks.map((c) => c.attributes.verb)).toEqual([first.prediction.checks.at(-1)!.attributes.verb]);
  },
);
