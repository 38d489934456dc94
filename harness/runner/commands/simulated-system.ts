import { extendWorld, removeFromWorld } from "../../apply/index.ts";
import type { ClusterCapabilities } from "../../cluster/provider.ts";
import { type Clock, type HttpRequest, type KubeVersion, type Manifest, type RequestResult, type UserInfo, type World, asAuthenticated, recorderCanSee } from "../../core/index.ts";
import { type Oracle, type OraclePrediction, createOracle } from "../../oracle/index.ts";
import type { ObjectRef } from "../../scenario/index.ts";
import type { StatefulSystem, TimedObservation } from "./stateful-model.ts";

export interface SimulatedSystemOptions {
  readonly baseWorld: World;
  readonly version: KubeVersion;
  /**
   * How far (ms) the simulated server's evaluation of probe `i` (0-based) is from the time it reports,
   * as a real round trip blurs it. Default: none.
   */
  readonly jitterMs?: (probeIndex: number) => number;
  /** Simulated durations (ms) of an apply plus barrier, a delete plus barrier, and a probe. */
  readonly durations?: { readonly apply: number; readonly delete: number; readonly probe: number };
  /** The simulated server's own model; default the real oracle (gate on). */
  readonly createServer?: (clock: Clock) => Oracle;
}

/**
 * A stand-in for a cluster with no cluster: the server is the oracle itself, on a virtual clock that
 * waits and admin writes move. Comparing a model against it checks the model plumbing (clock, World,
 * state carried between steps, the TTL window) and, with a deliberately wrong model oracle, shows that
 * a model run reports divergences. Its observations are what a recorder and an audit log would show.
 */
export class SimulatedSystem implements StatefulSystem {
  readonly capabilities: ClusterCapabilities = { orderedChecks: true, auditEvents: true, arbitraryRequestors: true };
  private time = 0;
  private evaluateAt = 0;
  private probes = 0;
  private world: World;
  private readonly server: Oracle;
  private readonly durations: NonNullable<SimulatedSystemOptions["durations"]>;

  constructor(private readonly options: SimulatedSystemOptions) {
    this.world = options.baseWorld;
    this.durations = options.durations ?? { apply: 140, delete: 120, probe: 30 };
    const clock: Clock = { now: () => this.evaluateAt };
    this.server = options.createServer?.(clock) ?? createOracle({ gate: true, version: options.version, clock });
  }

  now(): number {
    return this.time;
  }

  async apply(manifests: readonly Manifest[]): Promise<void> {
    this.world = extendWorld(this.world, manifests);
    this.time += this.durations.apply;
  }

  async delete(refs: readonly ObjectRef[]): Promise<void> {
    this.world = removeFromWorld(this.world, refs);
    this.time += this.durations.delete;
  }

  async cleanup(refs: readonly ObjectRef[]): Promise<void> {
    this.world = removeFromWorld(this.world, refs);
  }

  async wait(ms: number): Promise<void> {
    this.time += ms;
  }

  async probe(requestor: UserInfo, request: HttpRequest): Promise<TimedObservation> {
    const at = this.time + this.durations.probe / 2;
    const jitter = this.options.jitterMs?.(this.probes++) ?? 0;
    this.evaluateAt = at + jitter;
    const p = this.server.predict(this.world, asAuthenticated(requestor), request);
    this.time += this.durations.probe;
    return { result: observed(p), at, uncertaintyMs: Math.abs(jitter) };
  }
}

/** A prediction as the recorder and audit log would show it: the checks the webhook sees, no notes. */
function observed(p: OraclePrediction): RequestResult {
  return {
    code: p.code,
    outcome: p.outcome,
    message: p.message,
    checks: p.checks.filter(recorderCanSee).map((c) => ({ attributes: c.attributes })),
    user: p.user,
    constraint: p.constraint,
  };
}
