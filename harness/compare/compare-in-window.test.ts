import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { ManualClock, asAuthenticated, userInfo, type HttpRequest, type Prediction, type RequestResult, type World } from "../core/index.ts";
import { createOracle, type Oracle, type OracleState } from "../oracle/index.ts";
import { clusterRole, clusterRoleBinding, user, world } from "../oracle/rbac/test-world.ts";
import { compareInWindow, windowTimes, type TimedPredictor } from "./compare-in-window.ts";

const full = { orderedChecks: true, auditEvents: true, arbitraryRequestors: true };

describe("windowTimes", () => {
  it("is just now when no boundary falls in the window", () => {
    expect(windowTimes({ now: 5000, windowMs: 1000, boundaries: [] })).toEqual([5000]);
    expect(windowTimes({ now: 5000, windowMs: 1000, boundaries: [3000, 4000, 6001] })).toEqual([5000]);
    expect(windowTimes({ now: 5000, windowMs: 0, boundaries: [5000] })).toEqual([5000]);
  });

  it("adds the boundary itself when an entry expires after now, and just before it when before now", () => {
    expect(windowTimes({ now: 9900, windowMs: 1000, boundaries: [10_000] })).toEqual([9900, 10_000]);
    expect(windowTimes({ now: 10_300, windowMs: 1000, boundaries: [10_000] })).toEqual([10_300, 9999]);
    // an expiry exactly at now: now already sees it expired; the piece before is the other answer
    expect(windowTimes({ now: 10_000, windowMs: 1000, boundaries: [10_000, 10_000] })).toEqual([10_000, 9999]);
  });

  it("tries every piece between several expiries, nearest to now first", () => {
    expect(windowTimes({ now: 10_000, windowMs: 1000, boundaries: [9500, 10_400, 10_900] })).toEqual([10_000, 10_400, 9499, 10_900]);
  });

  it("rejects a negative window", () => {
    expect(() => windowTimes({ now: 0, windowMs: -1, boundaries: [] })).toThrow(/windowMs/);
  });

  // A step function of time, as the oracle is: its answer is the number of boundaries at or before t.
  const stepAt = (boundaries: readonly number[], t: number) => boundaries.filter((b) => b <= t).length;

  test.prop([fc.integer({ min: 0, max: 40_000 }), fc.integer({ min: 0, max: 3000 }), fc.array(fc.integer({ min: 0, max: 40_000 }), { maxLength: 6 })])(
    "gives exactly the answers a step function takes anywhere in [now − w, now + w], the one at now first",
    (now, w, boundaries) => {
      const times = windowTimes({ now, windowMs: w, boundaries });
      expect(times[0]).toBe(now);
      for (const t of times) expect(Math.abs(t - now)).toBeLessThanOrEqual(w);
      const got = new Set(times.map((t) => stepAt(boundaries, t)));
      const want = new Set([now - w, ...boundaries.filter((b) => b > now - w && b <= now + w)].map((t) => stepAt(boundaries, t)));
      expect(got).toEqual(want);
      // one time per piece: as many as the distinct answers
      expect(times.length).toBe(got.size);
    },
  );
});

// The oracle, end to end: `deputy` may get pods as bob through user-info.
const deputy = asAuthenticated(userInfo("deputy"));
const getFoo: HttpRequest = { method: "GET", path: "/api/v1/namespaces/ns/pods/foo", headers: [["Impersonate-User", "bob"]] };
const granted: World = world({
  clusterRoles: [
    clusterRole("on", { verbs: ["impersonate-on:user-info:get"], apiGroups: [""], resources: ["pods"] }),
    clusterRole("as", { verbs: ["impersonate:user-info"], apiGroups: ["authentication.k8s.io"], resources: ["users"], resourceNames: ["bob"] }),
    clusterRole("read", { verbs: ["get"], apiGroups: [""], resources: ["pods"] }),
  ],
  clusterRoleBindings: [clusterRoleBinding("on", "on", user("deputy")), clusterRoleBinding("as", "as", user("deputy")), clusterRoleBinding("read", "read", user("bob"))],
});
/** deputy's bindings deleted; bob keeps his. */
const revoked: World = world({ clusterRoles: granted.clusterRoles, clusterRoleBindings: granted.clusterRoleBindings.slice(2) });

function timed(): { oracle: Oracle; clock: ManualClock } {
  const clock = new ManualClock(0);
  return { oracle: createOracle({ gate: true, version: "1.37.2", clock }), clock };
}

function predictor(o: { oracle: Oracle; clock: ManualClock }, w: World): TimedPredictor<OracleState> {
  return {
    state: () => o.oracle.state(),
    restore: (s) => o.oracle.restore(s),
    predictAt: (at) => {
      o.clock.advance(at - o.clock.now());
      return o.oracle.predict(w, deputy, getFoo);
    },
  };
}

function asObserved(p: Prediction): RequestResult {
  return { code: p.code, outcome: p.outcome, message: p.message, checks: p.checks.map((c) => ({ attributes: c.attributes })), user: p.user, constraint: p.constraint };
}

/** Model and server both saw one successful get at t = 0 (cache entries expire at 10 000). */
function afterFirstSuccess() {
  const model = timed();
  const server = timed();
  for (const side of [model, server]) expect(predictor(side, granted).predictAt(0).outcome).toBe("allowed");
  return { model, server };
}

const innerInsertedAt = (o: Oracle) => [...o.state().caches[3]!.inner.values()].map((e) => e.insertedAt);

describe("compareInWindow with the oracle", () => {
  it("accepts the expired answer for a probe measured 100 ms before the expiry, and continues from it", () => {
    const { model, server } = afterFirstSuccess();
    // Revoked meanwhile: the server evaluated at 10 200 (entry gone, denied); measured time 9 900 (hit).
    const observed = asObserved(predictor(server, revoked).predictAt(10_200));
    expect(observed.outcome).toBe("impersonation-denied");
    const r = compareInWindow(predictor(model, revoked), observed, full, { now: 9900, windowMs: 1000, boundaries: [10_000] });
    expect(r.verdict).toBe("window");
    expect(r.candidates.map((c) => [c.at, c.prediction.outcome])).toEqual([
      [9900, "allowed"],
      [10_000, "impersonation-denied"],
    ]);
    expect(r.accepted.at).toBe(10_000);
  });

  it("accepts the cached answer for a probe measured after the expiry, when the server still had the entry", () => {
    const { model, server } = afterFirstSuccess();
    const observed = asObserved(predictor(server, revoked).predictAt(9800));
    expect(observed.outcome).toBe("allowed");
    const r = compareInWindow(predictor(model, revoked), observed, full, { now: 10_300, windowMs: 1000, boundaries: [10_000] });
    expect(r.verdict).toBe("window");
    expect(r.accepted.at).toBe(9999);
  });

  it("keeps the accepted candidate's state: re-inserted entries are stamped at the boundary, not a window away", () => {
    const { model, server } = afterFirstSuccess();
    // Still granted: the server re-evaluated at 10 200 and re-inserted; the model measured 9 900 (a hit).
    const observed = asObserved(predictor(server, granted).predictAt(10_200));
    expect(observed.checks).toHaveLength(3);
    const r = compareInWindow(predictor(model, granted), observed, full, { now: 9900, windowMs: 1000, boundaries: [10_000] });
    expect(r.verdict).toBe("window");
    expect(innerInsertedAt(model.oracle)).toEqual([10_000]);
    // Server entry (inserted 10 200) still alive at 20 100; model measured 20 050, its entry expired at 20 000.
    const again = asObserved(predictor(server, granted).predictAt(20_100));
    expect(again.checks).toHaveLength(1);
    const r2 = compareInWindow(predictor(model, granted), again, full, { now: 20_050, windowMs: 1000, boundaries: [20_000] });
    expect(r2.verdict).toBe("window");
  });

  it("says exact when the measured time explains the observation, and keeps that state", () => {
    const { model, server } = afterFirstSuccess();
    const observed = asObserved(predictor(server, granted).predictAt(9500));
    const r = compareInWindow(predictor(model, granted), observed, full, { now: 9600, windowMs: 1000, boundaries: [10_000] });
    expect(r.verdict).toBe("exact");
    expect(r.candidates).toHaveLength(2);
    expect(innerInsertedAt(model.oracle)).toEqual([0]);
  });

  it("diverges outside the window, and with no window at all", () => {
    const far = afterFirstSuccess();
    const late = asObserved(predictor(far.server, revoked).predictAt(12_000));
    const r = compareInWindow(predictor(far.model, revoked), late, full, { now: 8000, windowMs: 1000, boundaries: [10_000] });
    expect(r.verdict).toBe("diverged");
    expect(r.candidates).toHaveLength(1);
    expect(r.accepted.comparison.classification).toMatch(/^outcome: predicted allowed, observed impersonation-denied/);

    const near = afterFirstSuccess();
    const justAfter = asObserved(predictor(near.server, revoked).predictAt(10_200));
    expect(compareInWindow(predictor(near.model, revoked), justAfter, full, { now: 9900, windowMs: 0, boundaries: [10_000] }).verdict).toBe("diverged");
  });
});
