import { setTimeout as sleep } from "node:timers/promises";
import { applyObjects, deleteObjects, extendWorld, rbacBarrier, removeFromWorld } from "../apply/index.ts";
import type { StartedCluster } from "../cluster/provider.ts";
import { compare } from "../compare/index.ts";
import {
  asAuthenticated,
  type Clock,
  type KubeVersion,
  type Manifest,
  type ScenarioResult,
  type ScenarioStepResult,
  type UserInfo,
  type World,
} from "../core/index.ts";
import { observeProbe } from "../observe/index.ts";
import {
  isolateScenario,
  type LoadedScenario,
  parseDuration,
  type Requestor,
  stepKind,
  toHttpRequest,
  versionSatisfies,
  parseVersionRange,
  parseVersion,
} from "../scenario/index.ts";
import type { PredictingOracle } from "./execute-batch.ts";
import { checkExpectation } from "./expect-check.ts";

export interface ScenarioRunContext {
  /** A started cluster with the scenario's gate, or undefined when none can be had. */
  readonly clusterFor: (gate: boolean) => Promise<StartedCluster>;
  readonly baseWorldFor: (cluster: StartedCluster) => Promise<World>;
  readonly createOracle: (config: { gate: boolean; version: KubeVersion; clock: Clock }) => PredictingOracle;
  readonly version: KubeVersion;
  readonly clock: Clock;
  readonly onStep?: (scenario: LoadedScenario, step: ScenarioStepResult) => void;
}

function requestorOf(as: Requestor): UserInfo {
  return { username: as.user, uid: as.uid ?? "", groups: as.groups ?? [], extra: as.extra ?? {} };
}

/**
 * Runs one scenario against the server and the oracle. Scenarios share one server, so the scenario
 * is first isolated (its requestors and RBAC objects renamed with a unique token: the mode index has
 * no expiry and caches live 10 s), and observed strings are mapped back before they are compared with
 * the file or reported. Its objects are removed afterwards so that the next scenario's world, and the
 * oracle's model of it, is the bootstrap policy again.
 */
export async function runScenario(ctx: ScenarioRunContext, loaded: LoadedScenario): Promise<ScenarioResult> {
  const s = loaded.scenario;
  const t0 = performance.now();
  const base = { file: loaded.file, name: s.metadata.name, ...(s.metadata.source ? { source: s.metadata.source } : {}) };
  if (s.spec.versions && !versionSatisfies(parseVersion(ctx.version), parseVersionRange(s.spec.versions))) {
    return { ...base, passed: true, skipped: `applies to ${s.spec.versions}, server is ${ctx.version}`, steps: [], seconds: 0 };
  }
  const cluster = await ctx.clusterFor(s.spec.gate);
  const iso = isolateScenario(s);
  const oracle = ctx.createOracle({ gate: s.spec.gate, version: ctx.version, clock: ctx.clock });
  let world = await ctx.baseWorldFor(cluster);
  const applied: Manifest[] = [];
  const steps: ScenarioStepResult[] = [];
  const apply = async (objects: readonly Manifest[]) => {
    await applyObjects(cluster, objects);
    await rbacBarrier(cluster);
    world = extendWorld(world, objects);
    applied.push(...objects);
  };
  try {
    if (iso.scenario.spec.objects.length) await apply(iso.scenario.spec.objects as Manifest[]);
    for (const [i, step] of iso.scenario.spec.steps.entries()) {
      const st0 = performance.now();
      const name = step.name ?? `${stepKind(step)} ${i + 1}`;
      let result: ScenarioStepResult;
      if ("request" in step) {
        const requestor = requestorOf(step.request.as);
        const request = toHttpRequest(step.request);
        const prediction = oracle.predict(world, asAuthenticated(requestor), request);
        const observation = await observeProbe(cluster, { requestor, request });
        const versus = compare(prediction, observation, cluster.capabilities);
        const restored = iso.restoreDeep({
          code: observation.code,
          outcome: observation.outcome,
          message: observation.message,
          checks: observation.checks,
          user: observation.user,
          constraint: observation.constraint,
        });
        // The file's expectations are written with the file's names.
        const original = s.spec.steps[i]!;
        const failures = [
          ...checkExpectation("request" in original ? original.expect : undefined, restored),
          ...versus.diffs.map((d) => ({
            against: "oracle" as const,
            field: d.field,
            expected: iso.restoreDeep(d.predicted),
            observed: iso.restoreDeep(d.observed),
          })),
        ];
        result = {
          step: i + 1,
          name,
          passed: failures.length === 0,
          failures,
          code: restored.code ?? undefined,
          outcome: restored.outcome,
          message: restored.message,
          seconds: (performance.now() - st0) / 1000,
        };
      } else {
        if ("apply" in step) await apply(step.apply as Manifest[]);
        else if ("delete" in step) {
          await deleteObjects(cluster, step.delete);
          await rbacBarrier(cluster);
          world = removeFromWorld(world, step.delete);
        } else await sleep(parseDuration(step.wait));
        result = { step: i + 1, name, passed: true, failures: [], seconds: (performance.now() - st0) / 1000 };
      }
      steps.push(result);
      ctx.onStep?.(loaded, result);
    }
  } catch (e) {
    return { ...base, passed: false, error: (e as Error).message, steps, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await deleteObjects(
      cluster,
      [...applied].reverse().map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, namespace: o.metadata.namespace })),
    ).catch(() => {});
  }
  return { ...base, passed: steps.every((x) => x.passed), steps, seconds: (performance.now() - t0) / 1000 };
}
