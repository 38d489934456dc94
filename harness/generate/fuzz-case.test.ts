import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Subject } from "../core/index.ts";
import { isLocalName, isPoolNamespaceName } from "./_internals/mappers/rename.ts";
import { assertSeedStable, assertShrinksValid } from "./_internals/testing/arbitrary-assertions.ts";
import { caseProblems } from "./_internals/testing/validate.ts";
import { type CaseTemplate, fuzzCaseArb } from "./fuzz-case.ts";
import { PARTIAL_KINDS } from "./grant-plan.ts";
import { instantiateCase } from "./instantiate-case.ts";
import { INTENDED_MODES } from "./probe-plan.ts";

function isLocalSubject(s: Subject): boolean {
  if (s.kind === "ServiceAccount") return isPoolNamespaceName(s.namespace ?? "");
  const segs = s.name.split(":");
  return segs.some(isLocalName) || (s.name.startsWith("system:serviceaccount") && segs.some(isPoolNamespaceName));
}

/** Structural validity plus the template conventions instantiateCase relies on. */
function templateProblems(t: CaseTemplate): string[] {
  const p = caseProblems(t);
  t.probes.forEach((probe, i) => {
    if (!probe.requestor.username.split(":").includes(`r${i}`)) p.push(`probe ${i}: requestor ${probe.requestor.username} is not r${i}`);
  });
  for (const m of t.objects) {
    if (m.metadata.namespace !== undefined && !isPoolNamespaceName(m.metadata.namespace)) p.push(`${m.kind}/${m.metadata.name} outside the pool`);
    if (m.kind === "ClusterRoleBinding") {
      for (const s of m["subjects"] as Subject[]) if (!isLocalSubject(s)) p.push(`ClusterRoleBinding/${m.metadata.name} names shared subject ${s.kind}/${s.name}`);
    }
  }
  // and what the runner will send: the same template instantiated
  p.push(...caseProblems(instantiateCase(t, "sh1-")).map((x) => `instantiated: ${x}`));
  return p;
}

describe("fuzzCaseArb", () => {
  it("is seed-stable", () => assertSeedStable(fuzzCaseArb(), 15));

  it("makes valid templates: API-valid objects, unique requestors r<i>, safe sendable probes, isolated cluster grants", () => {
    fc.assert(
      fc.property(fuzzCaseArb(), (t) => {
        expect(templateProblems(t)).toEqual([]);
      }),
      { numRuns: 150, seed: 31 },
    );
  });

  it("keeps every shrink valid", () => {
    const seen = assertShrinksValid(fuzzCaseArb(), templateProblems, {
      runs: 3,
      maxCandidates: 250,
      // keep shrinking while some probe is a legacy or node probe over several objects: explores many branches
      interesting: (t) => t.probes.some((p) => p.intent.mode === "legacy" || p.intent.mode.endsWith("node")) && t.objects.length > 3,
    });
    expect(seen).toBeGreaterThan(50);
  });

  it("honours probe-count and mode constraints", () => {
    for (const t of fc.sample(fuzzCaseArb({ minProbes: 2, maxProbes: 3, modes: { serviceaccount: 1 }, noiseOneIn: 0 }), 40)) {
      expect(t.probes.length).toBeGreaterThanOrEqual(2);
      expect(t.probes.length).toBeLessThanOrEqual(3);
      expect(t.probes.every((p) => p.intent.mode === "serviceaccount")).toBe(true);
      expect(t.objects.some((o) => o.metadata.name.startsWith("n-"))).toBe(false);
    }
    expect(() => fuzzCaseArb({ maxProbes: 0 })).toThrow(/maxProbes/);
    expect(() => fuzzCaseArb({ noiseOneIn: -1 })).toThrow(/noiseOneIn/);
  });

  /**
   * Without an oracle the spread is judged by intent (properties/generators-coverage.test.ts checks
   * the mode × outcome × fallback cells with the oracle). Thresholds are loose: a quarter to a third
   * of the expected share.
   */
  it("spreads probes over intended modes × grant completeness, near misses, variants and world shapes", () => {
    const templates = fc.sample(fuzzCaseArb(), { seed: 2026, numRuns: 400 });
    const probes = templates.flatMap((t) => t.probes);
    const stats = new Map<string, number>();
    const bump = (k: string) => stats.set(k, (stats.get(k) ?? 0) + 1);
    for (const p of probes) {
      bump(`mode:${p.intent.mode}`);
      bump(`cell:${p.intent.mode}×${p.intent.grant}`);
      if (p.intent.partial) bump(`partial:${p.intent.partial}`);
      bump(`variant:${p.intent.mode}/${p.intent.variant}`);
      if (p.intent.finalGrant) bump("final-grant");
      if (p.intent.alsoLegacy) bump("also-legacy");
      if (p.requestor.groups.includes("system:masters")) bump("masters-requestor");
    }
    const n = probes.length;
    const at = (k: string) => stats.get(k) ?? 0;
    expect(n).toBeGreaterThan(1200);
    for (const m of INTENDED_MODES) expect(at(`mode:${m}`), m).toBeGreaterThan(n * 0.02);
    for (const m of ["associated-node", "arbitrary-node", "serviceaccount", "user-info", "legacy"]) {
      const total = at(`mode:${m}`);
      expect(at(`cell:${m}×full`) / total, `${m} full`).toBeGreaterThan(0.35);
      expect(at(`cell:${m}×full`) / total, `${m} full`).toBeLessThan(0.65);
      expect(at(`cell:${m}×partial`) / total, `${m} partial`).toBeGreaterThan(0.15);
      expect(at(`cell:${m}×none`) / total, `${m} none`).toBeGreaterThan(0.07);
    }
    for (const k of PARTIAL_KINDS) expect(at(`partial:${k}`), k).toBeGreaterThan(2);
    for (const v of ["associated-node/exact", "associated-node/mismatch", "associated-node/two-same", "associated-node/not-service-account", "arbitrary-node/associated", "legacy/only-legacy-applies", "legacy/fallback", "legacy/node-or-sa-alone", "user-info/sane", "user-info/insane", "serviceaccount/self", "no-impersonation/empty-user-header"]) {
      expect(at(`variant:${v}`), v).toBeGreaterThan(2);
    }
    expect(at("final-grant") / n).toBeGreaterThan(0.3);
    expect(at("final-grant") / n).toBeLessThan(0.75);
    expect(at("also-legacy")).toBeGreaterThan(n * 0.08);
    expect(at("masters-requestor")).toBeGreaterThan(5);
    const share = (f: (t: CaseTemplate) => boolean) => templates.filter(f).length / templates.length;
    expect(share((t) => t.probes.length >= 6)).toBeGreaterThan(0.15);
    expect(share((t) => t.objects.some((o) => o.metadata.name.startsWith("n-")))).toBeGreaterThan(0.2);
    expect(share((t) => t.objects.some((o) => ((o["subjects"] as unknown[] | undefined)?.length ?? 0) >= 2))).toBeGreaterThan(0.1);
    expect(share((t) => t.objects.some((o) => (o["roleRef"] as { name?: string } | undefined)?.name?.endsWith("-missing") ?? false))).toBeGreaterThan(0.05);
    expect(share((t) => t.objects.some((o) => o.kind === "RoleBinding" && (o["roleRef"] as { name: string }).name === "edit"))).toBeGreaterThan(0.01);
  });
});
