import { describe, expect, it } from "vitest";
import type { UserInfo } from "../core/index.ts";
import { allModes } from "./modes/index.ts";
import type { OracleState } from "./state.ts";
import { UPSTREAM_CASES, requestInfoToAttributes, runUpstreamCase, type ExpectedCache, type UpstreamStep } from "./upstream-cases.ts";

const norm = (x: UserInfo) => ({ username: x.username, uid: x.uid, groups: [...x.groups], extra: { ...x.extra } });

function assertCache(state: OracleState, expected: ExpectedCache | null): void {
  if (expected === null) {
    expect(state.modeIndex.size).toBe(0);
    for (const c of state.caches) expect([c.outer.size, c.inner.size]).toEqual([0, 0]);
    return;
  }
  const modeIdx = Object.fromEntries([...state.modeIndex].map(([name, idx]) => [name, allModes[idx]!.verb]));
  expect(modeIdx).toEqual(expected.modeIdx);
  allModes.slice(0, 4).forEach((mode, i) => {
    const { outer, inner } = state.caches[i]!;
    const want = expected.modes?.[mode.verb] ?? { outer: [], inner: [] };
    const outerGot = [...outer.values()].map((e) => ({
      wanted: norm(e.wanted), requestor: norm(e.requestor), request: { ...e.request!.attributes, urlPath: e.request!.urlPath }, user: norm(e.user), constraint: e.constraint,
    }));
    const outerWant = want.outer.map((e) => {
      const { ...request } = { ...requestInfoToAttributes(e.request), urlPath: e.request.path ?? "" };
      return { wanted: norm(e.wanted), requestor: norm(e.requestor), request, user: norm(e.user), constraint: mode.verb };
    });
    expect(outerGot).toEqual(outerWant);
    const innerGot = [...inner.values()].map((e) => ({ wanted: norm(e.wanted), requestor: norm(e.requestor), user: norm(e.user), constraint: e.constraint }));
    expect(innerGot).toEqual(want.inner.map((e) => ({ wanted: norm(e.wanted), requestor: norm(e.requestor), user: norm(e.user), constraint: mode.verb })));
  });
}

function assertStep({ request: r, expectation: e, prediction: p, state }: UpstreamStep): void {
  expect(p.code ?? 200).toBe(e.expectedCode);
  if (e.expectedCode === 200) {
    expect(p.message).toBeNull();
    if (e.expectedImpersonatedUser) {
      if (e.groupsAsSet) {
        expect(p.user?.username).toBe(e.expectedImpersonatedUser.username);
        expect([...(p.user?.groups ?? [])].sort()).toEqual([...e.expectedImpersonatedUser.groups].sort());
      } else expect(norm(p.user!)).toEqual(norm(e.expectedImpersonatedUser));
    }
  } else {
    expect(p.user).toBeNull();
    if (e.expectedMessage !== undefined) expect(p.message).toBe(e.expectedMessage);
  }
  if (e.expectedAttemptMode !== undefined) {
    expect(p.mode ?? "").toBe(e.expectedAttemptMode);
    const constrained = e.expectedCode === 200 && e.expectedAttemptMode !== "legacy" && e.expectedAttemptMode !== "";
    expect(p.constraint).toBe(constrained ? `impersonate:${e.expectedAttemptMode}` : "");
  }
  if (e.expectedAuthzChecks !== undefined) {
    const user = norm(r.expectedAttributesUser ?? r.requestor);
    expect(p.checks.map((c) => ({ ...c.attributes, user: norm(c.attributes.user), decision: c.decision }))).toEqual(
      e.expectedAuthzChecks.map((c) => ({ ...c.attributes, user, decision: c.decision })),
    );
  }
  if (e.expectedCache !== undefined) assertCache(state, e.expectedCache);
  expect(p.indeterminate).toEqual([]);
  expect(p.alternatives).toBeUndefined();
}

describe("upstream filter tests (SPEC §14)", () => {
  for (const c of UPSTREAM_CASES) {
    for (const gate of c.gates) {
      it(`${c.origin}/${c.name} (gate ${gate ? "on" : "off"})`, () => {
        const steps = runUpstreamCase(c, gate);
        steps.forEach((step, i) => {
          try {
            assertStep(step);
          } catch (err) {
            (err as Error).message = `request ${i}: ${(err as Error).message}`;
            throw err;
          }
        });
      });
    }
  }
});
