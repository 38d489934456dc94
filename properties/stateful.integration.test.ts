/**
 * Oracle vs a real kube-apiserver (gate on) over command sequences that keep state (SPEC §7, §11):
 * grants and revokes of single permission pieces, waits (0 s, 2 s, 11 s), and probes as the sequence's
 * two fixed requestors, so the server's mode index and 10 s caches carry over from step to step while
 * the oracle carries the same state. Each sequence has fresh names, so sequences share nothing but the
 * server. A probe next to a cache expiry accepts what the oracle allows anywhere within ±1 s.
 *
 * Few runs by default (`npm test` stays around a minute for this file); IMPFUZZ_STATEFUL_RUNS and
 * IMPFUZZ_STATEFUL_COMMANDS raise them, IMPFUZZ_STATEFUL_WAITS changes the waits. properties/stateful-commands.test.ts shows, without a cluster,
 * that the same model run fails for wrong oracles.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readWorld } from "../harness/apply/index.ts";
import type { StartedCluster } from "../harness/cluster/provider.ts";
import type { World } from "../harness/core/index.ts";
import { createOracle } from "../harness/oracle/index.ts";
import {
  StatefulDivergenceError,
  clusterSystem,
  formatStats,
  initialGrants,
  newStatefulStats,
  runStatefulSequence,
  statefulCommands,
  toScenario,
} from "../harness/runner/commands/index.ts";
import { parseDuration } from "../harness/scenario/index.ts";
import { TEST_KUBE_VERSION, startTestCluster, uniqueName } from "../harness/testing/test-cluster.ts";

const RUNS = Number(process.env.IMPFUZZ_STATEFUL_RUNS ?? 8);
const MAX_COMMANDS = Number(process.env.IMPFUZZ_STATEFUL_COMMANDS ?? 12);
/** Wait durations, e.g. `IMPFUZZ_STATEFUL_WAITS=0s,10s` to probe right at the TTL; default 0 s, 2 s, 11 s. */
const WAITS_MS = process.env.IMPFUZZ_STATEFUL_WAITS?.split(",").map((d) => parseDuration(d.trim()));
/**
 * Shrinking a failure replays sequences against the server, real waits included: past this budget
 * fast-check stops and reports the smallest failure found so far.
 */
const BUDGET_MS = RUNS * 30_000 + 180_000;

let cluster: StartedCluster | undefined;
let baseWorld: World;

beforeAll(async () => {
  cluster = await startTestCluster(true);
  baseWorld = await readWorld(cluster);
});

afterAll(async () => {
  await cluster?.stop();
});

describe("stateful sequences against kube-apiserver", () => {
  it(
    "the oracle's mode index and caches follow the server through grants, revokes, waits and probes",
    async () => {
      const stats = newStatefulStats();
      const real = clusterSystem(cluster!);
      const started = performance.now();
      const property = fc.asyncProperty(initialGrants(), statefulCommands({ maxCommands: MAX_COMMANDS, waitsMs: WAITS_MS }), async (initial, cmds) => {
        await runStatefulSequence(
          {
            real,
            baseWorld,
            createOracle: (clock) => createOracle({ gate: true, version: TEST_KUBE_VERSION, clock }),
            newToken: () => uniqueName("sf"),
            stats,
          },
          initial,
          cmds,
        );
      });
      // unbiased: with so few runs, fast-check's small-first bias would spend most of them on near-empty sequences.
      const out = await fc.check(property, { numRuns: RUNS, unbiased: true, interruptAfterTimeLimit: BUDGET_MS });
      process.stderr.write(`[stateful] ${formatStats(stats)}; ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (out.failed) {
        const e = out.errorInstance;
        const scenario =
          e instanceof StatefulDivergenceError
            ? `\n\nThe failing sequence as an impfuzz/v1 scenario:\n${toScenario(e.record(), { name: "stateful-divergence", description: "oracle and kube-apiserver disagree" })}`
            : "";
        throw new Error(`${fc.defaultReportMessage(out)}${scenario}`);
      }
      expect(out.numRuns).toBeGreaterThan(0);
      expect(stats.probes).toBeGreaterThan(0);
    },
    BUDGET_MS + 60_000,
  );
});
