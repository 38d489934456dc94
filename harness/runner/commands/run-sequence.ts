import fc from "fast-check";
import { extendWorld } from "../../apply/index.ts";
import { type Clock, ManualClock, type World } from "../../core/index.ts";
import type { Oracle } from "../../oracle/index.ts";
import { pieceManifests, sequenceNames, type Piece } from "./catalogue.ts";
import { rememberApplied, type StatefulCommands, type StatefulModel, type StatefulStats, type StatefulSystem } from "./stateful-model.ts";

/** Half-width of the window around a cache entry's 10 s expiry in which both answers are accepted. */
export const TTL_WINDOW_MS = 1000;

export interface SequenceOptions {
  readonly real: StatefulSystem;
  /** What the server holds before any sequence (read once: bootstrap policy and the rest). */
  readonly baseWorld: World;
  /** The model's oracle, reading `clock` (a deliberately wrong oracle may ignore it). */
  readonly createOracle: (clock: Clock) => Oracle;
  /** A fresh token per sequence (`uniqueName`): all the sequence's owned names carry it. */
  readonly newToken: () => string;
  readonly stats: StatefulStats;
  /** Default TTL_WINDOW_MS; 0 compares at the measured time only. */
  readonly windowMs?: number;
}

/**
 * The `setup` of one model run: fresh names, the initial grants applied (and through the RBAC barrier),
 * a fresh oracle whose clock starts at the system's time.
 */
export async function setupSequence(opts: SequenceOptions, initial: readonly Piece[]): Promise<{ model: StatefulModel; real: StatefulSystem }> {
  const names = sequenceNames(opts.newToken());
  const manifests = initial.flatMap((p) => pieceManifests(p, names));
  if (manifests.length > 0) await opts.real.apply(manifests);
  const t0 = opts.real.now();
  const clock = new ManualClock(t0);
  const model: StatefulModel = {
    names,
    oracle: opts.createOracle(clock),
    clock,
    world: extendWorld(opts.baseWorld, manifests),
    granted: new Set(initial.map((p) => p.id)),
    applied: new Map(),
    initial,
    transcript: [],
    t0,
    windowMs: opts.windowMs ?? TTL_WINDOW_MS,
    stats: opts.stats,
  };
  rememberApplied(model, manifests);
  opts.stats.sequences++;
  return { model, real: opts.real };
}

/**
 * One model run (`fc.asyncModelRun`) of `commands` after `initial` grants, then the sequence's objects
 * are deleted so the server's RBAC is the base world again. A divergence propagates as the
 * StatefulDivergenceError the probe threw; a cleanup failure is reported only if nothing else failed.
 */
export async function runStatefulSequence(opts: SequenceOptions, initial: readonly Piece[], commands: StatefulCommands): Promise<void> {
  let model: StatefulModel | undefined;
  let failed = false;
  try {
    await fc.asyncModelRun(async () => {
      const s = await setupSequence(opts, initial);
      model = s.model;
      return s;
    }, commands);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    if (model) {
      const refs = [...model.applied.values()].reverse();
      await opts.real.cleanup(refs).catch((e: unknown) => {
        if (!failed) throw e;
      });
    }
  }
}
