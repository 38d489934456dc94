/**
 * The stateful model run can pass and can fail, without a cluster: the "server" is a SimulatedSystem
 * whose answers come from the correct oracle, on a virtual clock blurred by ±300 ms of jitter per probe
 * (as a real round trip blurs when the server evaluated). Against it:
 * - the correct oracle as the model passes, and needs the TTL window to do so (without it, it fails);
 * - deliberately wrong models fail, and the failure carries the diff, the steps, and a valid scenario:
 *   caches that never expire, and a mode index that forgets.
 * properties/stateful.integration.test.ts runs the same commands against a real kube-apiserver.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_WORLD, type Clock } from "../harness/core/index.ts";
import { createOracle, forgetModeIndex, type Oracle } from "../harness/oracle/index.ts";
import {
  SimulatedSystem,
  StatefulDivergenceError,
  formatStats,
  initialGrants,
  newStatefulStats,
  runStatefulSequence,
  statefulCommands,
  toScenario,
  type StatefulStats,
} from "../harness/runner/commands/index.ts";
import { parseScenarios } from "../harness/scenario/index.ts";
import { uniqueName } from "../harness/testing/test-cluster.ts";

const VERSION = "1.37.2";
/** Simulated runs are cheap; IMPFUZZ_STATEFUL_RUNS scales them along with the integration file's. */
const RUNS = 40 * Number(process.env.IMPFUZZ_STATEFUL_RUNS ?? 6);
const SEED = 20260723;
/** ±300 ms, a fixed pseudo-random sequence per simulated server (an integer hash of the probe index). */
function jitter(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h >>> 0) % 601) - 300;
}
/** Waits that land probes next to an expiry (10 s) as well as across it. */
const NEAR_EXPIRY_WAITS = [0, 10_000];

const right = (clock: Clock): Oracle => createOracle({ gate: true, version: VERSION, clock });

/** Wrong: the caches never expire (the oracle reads a clock stuck at 0). */
const neverExpiring = (_clock: Clock): Oracle => createOracle({ gate: true, version: VERSION, clock: { now: () => 0 } });

/** Wrong: the mode index is forgotten after every request, so modes are always tried in upstream order. */
function forgetfulModeIndex(clock: Clock): Oracle {
  const inner = right(clock);
  return {
    options: inner.options,
    predict(source, requestor, request) {
      const p = inner.predict(source, requestor, request);
      inner.restore(forgetModeIndex(inner.state()));
      return p;
    },
    state: () => inner.state(),
    restore: (s) => inner.restore(s),
  };
}

interface Setup {
  readonly model: (clock: Clock) => Oracle;
  readonly windowMs?: number;
  readonly waitsMs?: readonly number[];
  readonly jitterMs?: (i: number) => number;
  /** @defaultValue 10 */
  readonly maxCommands?: number;
}

function sequences(setup: Setup, stats: StatefulStats) {
  return fc.asyncProperty(initialGrants(), statefulCommands({ maxCommands: setup.maxCommands ?? 10, waitsMs: setup.waitsMs }), async (initial, cmds) => {
    const real = new SimulatedSystem({ baseWorld: EMPTY_WORLD, version: VERSION, jitterMs: setup.jitterMs });
    await runStatefulSequence(
      { real, baseWorld: EMPTY_WORLD, createOracle: setup.model, newToken: () => uniqueName("sf"), stats, windowMs: setup.windowMs },
      initial,
      cmds,
    );
  });
}

async function failure(setup: Setup): Promise<StatefulDivergenceError> {
  const out = await fc.check(sequences(setup, newStatefulStats()), { numRuns: RUNS, seed: SEED });
  expect(out.failed, "the model run should have reported a divergence").toBe(true);
  expect(out.errorInstance).toBeInstanceOf(StatefulDivergenceError);
  return out.errorInstance as StatefulDivergenceError;
}

/** The failing sequence written as a scenario file, which the scenario loader must accept. */
function asScenario(e: StatefulDivergenceError, name: string): string {
  const text = toScenario(e.record(), { name });
  expect(parseScenarios(text, `${name}.yaml`)).toHaveLength(1);
  return text;
}

describe("stateful model run against a simulated server (no cluster)", () => {
  it("passes with the correct oracle, accepting blurred probes next to an expiry through the TTL window", async () => {
    const stats = newStatefulStats();
    await fc.assert(sequences({ model: right, waitsMs: NEAR_EXPIRY_WAITS, jitterMs: jitter, maxCommands: 20 }, stats), { numRuns: RUNS, seed: SEED });
    process.stderr.write(`[stateful-commands] correct oracle, simulated: ${formatStats(stats)}\n`);
    expect(stats.probes).toBeGreaterThan(RUNS);
    expect(stats.inWindow).toBeGreaterThan(0);
    expect(stats.acceptedByWindow).toBeGreaterThan(0);
    // What the sequences reach: constrained and legacy successes, and denials.
    const seen = Object.keys(stats.outcomes).join(" ");
    for (const mode of ["user-info", "arbitrary-node", "associated-node", "serviceaccount", "legacy"]) expect(seen).toContain(`/${mode}`);
    expect(seen).toContain("impersonation-denied/");
  });

  it("fails with the correct oracle when the window is 0: the window is what absorbs the blur", async () => {
    const e = await failure({ model: right, windowMs: 0, waitsMs: NEAR_EXPIRY_WAITS, jitterMs: jitter });
    expect(e.verdict.candidates).toHaveLength(1);
    expect(e.message).toMatch(/no cache entry of this requestor expires within ±0 ms/);
  });

  it("catches an oracle whose caches never expire: the shrunk sequence waits past the 10 s TTL", async () => {
    const e = await failure({ model: neverExpiring });
    process.stderr.write(`[stateful-commands] never-expiring caches:\n${e.message}\n`);
    expect(e.transcript.some((t) => t.step["wait"] === "11s")).toBe(true);
    expect(e.message).toMatch(/^stateful sequence diverged at step \d+/);
    expect(e.message).toMatch(/predicted .*, observed /);
    expect(e.message).toContain("steps that ran (scenario format, local names):");
    expect(e.message).toContain("- wait: 11s");
    const yaml = asScenario(e, "never-expiring-caches");
    expect(yaml).toContain("wait: 11s");
  });

  it("catches an oracle that ignores the mode index: the shrunk sequence probes one requestor twice", async () => {
    const e = await failure({ model: forgetfulModeIndex });
    process.stderr.write(`[stateful-commands] forgetful mode index:\n${e.message}\n`);
    const probes = e.transcript.filter((t) => "request" in t.step);
    expect(probes.length).toBeGreaterThanOrEqual(2);
    expect(e.transcript.some((t) => "wait" in t.step && t.step["wait"] !== "0s")).toBe(false);
    asScenario(e, "forgetful-mode-index");
  });
});
