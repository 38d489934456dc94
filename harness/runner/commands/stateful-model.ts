/**
 * The model and the real side of the stateful command sequences (SPEC §7, §11).
 *
 * Model: the oracle with its state (mode index, outer/inner caches), the World it evaluates (the
 * server's base world plus this sequence's grants), the clock the oracle reads, and what the sequence
 * has granted. Real: a `StatefulSystem` — a started cluster (cluster-system.ts) or, to prove that the
 * model run can fail without a cluster, a simulated server (simulated-system.ts).
 */
import type fc from "fast-check";
import type { ClusterCapabilities } from "../../cluster/provider.ts";
import type { Comparison, HttpRequest, Manifest, ManualClock, RequestResult, UserInfo, World } from "../../core/index.ts";
import { CACHE_TTL_MS, type Oracle, type OracleState } from "../../oracle/index.ts";
import type { ObjectRef } from "../../scenario/index.ts";
import type { WindowedComparison } from "../../compare/index.ts";
import type { Piece, SequenceNames } from "./catalogue.ts";
import { formatStep, type ScenarioStep } from "./format-step.ts";
import type { SequenceRecord } from "./to-scenario.ts";

/** A probe's observation and when, on the system's clock, the server evaluated it (best estimate). */
export interface TimedObservation {
  readonly result: RequestResult;
  /** Milliseconds on `StatefulSystem.now()`'s clock. */
  readonly at: number;
  /** Half the round trip: how far `at` may be from the server's evaluation. */
  readonly uncertaintyMs: number;
}

/** The real side: writes RBAC (and waits until the authorizer has it), lets time pass, sends probes. */
export interface StatefulSystem {
  readonly capabilities: ClusterCapabilities;
  /** Milliseconds on a monotonic clock; probes' `at` use the same clock. */
  now(): number;
  /** Apply manifests as admin and return once RBAC evaluates with them. */
  apply(manifests: readonly Manifest[]): Promise<void>;
  /** Delete objects as admin and return once RBAC evaluates without them. */
  delete(refs: readonly ObjectRef[]): Promise<void>;
  /** Delete without waiting for RBAC (end of a sequence: later sequences use other names). */
  cleanup(refs: readonly ObjectRef[]): Promise<void>;
  wait(ms: number): Promise<void>;
  probe(requestor: UserInfo, request: HttpRequest): Promise<TimedObservation>;
}

/** Counters over all sequences of a run, for the test's summary line. */
export interface StatefulStats {
  sequences: number;
  grants: number;
  revokes: number;
  waits: number;
  waitedMs: number;
  probes: number;
  /** Probes whose answer differs from a fresh requestor's: the mode index or a cache entry mattered. */
  historyDependent: number;
  /** Probes with a cache expiry within ±window of their time (more than one admissible prediction time). */
  inWindow: number;
  /** Probes that matched only a prediction at another time of their window, not the one at the measured time. */
  acceptedByWindow: number;
  /** Probes by outcome and mode, to see what the sequences exercised. */
  outcomes: Record<string, number>;
}

export function newStatefulStats(): StatefulStats {
  return { sequences: 0, grants: 0, revokes: 0, waits: 0, waitedMs: 0, probes: 0, historyDependent: 0, inWindow: 0, acceptedByWindow: 0, outcomes: {} };
}

export function formatStats(s: StatefulStats): string {
  const outcomes = Object.entries(s.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  return (
    `${s.sequences} sequences: ${s.grants} grants, ${s.revokes} revokes, ${s.waits} waits (${(s.waitedMs / 1000).toFixed(0)} s), ` +
    `${s.probes} probes (${s.historyDependent} answered differently than for a fresh requestor, ${s.inWindow} within ±TTL window of an expiry, ${s.acceptedByWindow} accepted only by the window); outcomes: ${outcomes || "-"}`
  );
}

/** One executed step as a scenario file writes it (local names), with what happened as a comment. */
export interface TranscriptEntry {
  readonly step: ScenarioStep;
  readonly note?: string;
}

export interface StatefulModel {
  /** Live names of this sequence. */
  readonly names: SequenceNames;
  readonly oracle: Oracle;
  /** The clock the oracle reads; set to each probe's measured time. */
  readonly clock: ManualClock;
  world: World;
  /** Ids of the pieces whose binding is in place. */
  readonly granted: Set<string>;
  /** Every object the sequence applied, by `kind/namespace/name`, for cleanup. */
  readonly applied: Map<string, ObjectRef>;
  readonly initial: readonly Piece[];
  readonly transcript: TranscriptEntry[];
  /** The system's clock when the sequence started (times in reports are relative to it). */
  readonly t0: number;
  /** Half-width of the TTL ambiguity window (ms). */
  readonly windowMs: number;
  readonly stats: StatefulStats;
}

/** Sets a ManualClock to `t` (it only moves by `advance`). */
export function setClock(clock: ManualClock, t: number): void {
  clock.advance(t - clock.now());
}

/**
 * Clock times where the oracle's answer for this requestor may change: the expiry of each of its
 * outer/inner cache entries, and the end of a time-limited taint. (The mode index has no expiry.)
 */
export function cacheBoundaries(state: OracleState, requestorName: string): number[] {
  const out: number[] = [];
  for (const { outer, inner } of state.caches) {
    for (const cache of [outer, inner]) {
      for (const e of cache.values()) if (e.requestor.username === requestorName) out.push(e.insertedAt + CACHE_TTL_MS);
    }
  }
  const taint = state.taints.get(requestorName);
  if (taint && Number.isFinite(taint.until)) out.push(taint.until);
  return out;
}

/** Live names → local names, in any text (reports use the names the transcript uses). */
export function toLocal(names: SequenceNames, text: string): string {
  return names.suffix === "" ? text : text.split(names.suffix).join("");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** The transcript as YAML step lines, each with its note as a comment. */
export function formatTranscript(entries: readonly TranscriptEntry[], indent = "  "): string {
  return entries.map((e) => `${indent}${formatStep(e.step)}${e.note ? `  # ${e.note}` : ""}`).join("\n");
}

function describeComparison(c: Comparison): string[] {
  const lines = [`classification: ${c.classification}`];
  for (const d of c.diffs) lines.push(`${d.field}: predicted ${JSON.stringify(d.predicted)}, observed ${JSON.stringify(d.observed)}`);
  if (c.firstCheckDiff) {
    const f = c.firstCheckDiff;
    lines.push(`first differing check #${f.index} (${f.fields.join(", ")}): predicted ${JSON.stringify(f.predicted)}, observed ${JSON.stringify(f.observed)}`);
  }
  for (const s of c.skipped) lines.push(`not compared: ${s.field} (${s.reason})`);
  return lines;
}

/**
 * A probe whose observation no admissible prediction explains. The message has the diff, the TTL
 * window (every time tried), and the steps that ran, as scenario steps; `initial` and `transcript` let
 * to-scenario.ts write the whole sequence as an `impfuzz/v1` file.
 */
export class StatefulDivergenceError extends Error {
  override readonly name = "StatefulDivergenceError";
  constructor(
    readonly initial: readonly Piece[],
    readonly transcript: readonly TranscriptEntry[],
    readonly verdict: WindowedComparison,
    /** What the server did at the diverging probe, with live names. */
    readonly observed: RequestResult,
    /** The sequence's live-name suffix (`toLocal` removes it). */
    readonly suffix: string,
    message: string,
  ) {
    super(message);
  }

  /** The sequence for to-scenario.ts: initial grants, the steps that ran, the last observation. */
  record(): SequenceRecord {
    return { initial: this.initial, transcript: this.transcript, lastObserved: { result: this.observed, suffix: this.suffix } };
  }

  static of(model: StatefulModel, verdict: WindowedComparison, observed: TimedObservation): StatefulDivergenceError {
    const local = (s: string) => toLocal(model.names, s);
    const rel = (t: number) => seconds(t - model.t0);
    const lines = [
      `stateful sequence diverged at step ${model.transcript.length} (of the steps below; initial grants: ${model.initial.map((p) => p.id).join(", ") || "none"})`,
      `probe evaluated at ${rel(observed.at)} ± ${observed.uncertaintyMs.toFixed(1)} ms after the sequence started (sequence token ${JSON.stringify(model.names.suffix)})`,
      ...describeComparison(verdict.accepted.comparison).map((l) => `  ${local(l)}`),
    ];
    if (verdict.candidates.length > 1) {
      lines.push(`a cache entry expires within ±${model.windowMs} ms, so every prediction in the window was tried; none matches:`);
      for (const c of verdict.candidates) {
        lines.push(`  at ${rel(c.at)}: ${c.prediction.outcome} ${c.prediction.code ?? "(handler)"} mode ${c.prediction.mode ?? "-"}, ${c.prediction.checks.length} checks → ${local(c.comparison.classification)}`);
      }
    } else lines.push(`no cache entry of this requestor expires within ±${model.windowMs} ms: one prediction, at the measured time`);
    lines.push("steps that ran (scenario format, local names):", formatTranscript(model.transcript));
    return new StatefulDivergenceError(model.initial, [...model.transcript], verdict, observed.result, model.names.suffix, lines.join("\n"));
  }
}

/** What every command of the sequences is: a fast-check async command that also is a scenario step. */
export interface StatefulCommand extends fc.AsyncCommand<StatefulModel, StatefulSystem> {
  /** The step as a scenario file writes it, with local names. */
  step(): ScenarioStep;
}

/** Records objects the sequence applied, so the sequence's cleanup can delete them. */
export function rememberApplied(model: StatefulModel, manifests: readonly Manifest[]): void {
  for (const m of manifests) {
    const ref: ObjectRef = { apiVersion: m.apiVersion, kind: m.kind, name: m.metadata.name, ...(m.metadata.namespace ? { namespace: m.metadata.namespace } : {}) };
    model.applied.set(`${ref.kind}/${ref.namespace ?? ""}/${ref.name}`, ref);
  }
}

/** A command list as fc.commands makes it and fc.asyncModelRun takes it. */
export type StatefulCommands = Iterable<fc.AsyncCommand<StatefulModel, StatefulSystem>>;
