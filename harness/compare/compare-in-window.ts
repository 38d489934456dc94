import type { ClusterCapabilities } from "../cluster/provider.ts";
import type { Comparison, Prediction, RequestResult } from "../core/index.ts";
import { compare } from "./compare.ts";

/**
 * Comparing a stateful prediction when real time makes it ambiguous (SPEC §7, §11: cache entries live
 * exactly 10 s from insertion, and the harness only knows within a margin when the server inserted an
 * entry and when it evaluated a later request).
 *
 * The predictor's answer is a step function of its clock: it can change only at a *boundary* (a cache
 * entry's expiry, `insertedAt + TTL`). The window `[now − w, now + w]` is cut at the boundaries inside
 * it into pieces on which the prediction is constant; the observation is accepted if it matches the
 * prediction of any piece. With one expiry in the window that is exactly "predict from the same
 * snapshot at now − w and at now + w and accept either"; with several expiries the pieces in between
 * are admissible too, and are tried.
 *
 * Each piece is predicted at its time closest to `now` (for the piece holding `now`, `now` itself),
 * from the same snapshot. The accepted piece's resulting state is kept, so entries it inserts are
 * stamped as close to the measured time as the observation allows, not a whole window away.
 * The piece holding `now` is tried first: a probe far from any expiry costs one prediction.
 */

/** A predictor with explicit state (the oracle: `state()`/`restore()`, its clock set per call). */
export interface TimedPredictor<S> {
  /** A snapshot that later predictions do not change. */
  state(): S;
  /** Continue from a snapshot. */
  restore(state: S): void;
  /** Predict the request at clock time `at` from the current state, updating it. */
  predictAt(at: number): Prediction;
}

export interface TimeWindow {
  /** The measured time of the request on the predictor's clock. */
  readonly now: number;
  /** Half-width of the window; 0 compares at `now` only. */
  readonly windowMs: number;
  /** Clock times where the prediction may change (cache expiries). Those outside the window are ignored. */
  readonly boundaries: readonly number[];
}

export interface WindowCandidate {
  /** The clock time this candidate was predicted at. */
  readonly at: number;
  readonly prediction: Prediction;
  readonly comparison: Comparison;
}

export interface WindowedComparison {
  /**
   * `exact`: the observation matches the prediction at `now`; `window`: it matches only the prediction
   * of another piece of the window (accepted: real time cannot tell them apart); `diverged`: no piece.
   */
  readonly verdict: "exact" | "window" | "diverged";
  /** The accepted candidate, or the one at `now` when diverged. */
  readonly accepted: WindowCandidate;
  /** Every candidate tried, the one at `now` first. One entry when no boundary falls in the window. */
  readonly candidates: readonly WindowCandidate[];
}

/**
 * The times to predict at: one per piece of `[now − w, now + w]` cut at the boundaries inside it,
 * each the piece's point closest to `now`, ordered by distance from `now` (so `now` comes first).
 * A boundary `b` starts a piece (an entry inserted at t is gone at exactly t + TTL).
 */
export function windowTimes(w: TimeWindow): number[] {
  if (!(w.windowMs >= 0)) throw new RangeError(`windowMs must be a non-negative number of milliseconds, got ${w.windowMs}`);
  const lo = w.now - w.windowMs;
  const hi = w.now + w.windowMs;
  const cuts = [...new Set(w.boundaries.filter((b) => b > lo && b <= hi))].sort((a, b) => a - b);
  const starts = [lo, ...cuts];
  const times: number[] = [];
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = cuts[i]; // exclusive; undefined for the last piece, which ends at hi inclusive
    if (start > w.now) times.push(start); // after now: its first instant
    else if (end === undefined || w.now < end) times.push(w.now); // holds now
    else times.push(end - Math.min(1, (end - start) / 2)); // before now: just before its end
  }
  return times.sort((a, b) => Math.abs(a - w.now) - Math.abs(b - w.now) || a - b);
}

function matches(c: Comparison): boolean {
  return c.diffs.length === 0;
}

/**
 * Compares `observed` with the predictor's answer anywhere in the window (see the file comment) and
 * leaves the predictor in the state of the accepted candidate (of the one at `now` if none matches).
 */
export function compareInWindow<S>(
  predictor: TimedPredictor<S>,
  observed: RequestResult,
  capabilities: ClusterCapabilities,
  window: TimeWindow,
): WindowedComparison {
  const times = windowTimes(window);
  if (times.length === 1) {
    const prediction = predictor.predictAt(window.now);
    const candidate = { at: window.now, prediction, comparison: compare(prediction, observed, capabilities) };
    return { verdict: matches(candidate.comparison) ? "exact" : "diverged", accepted: candidate, candidates: [candidate] };
  }
  const snapshot = predictor.state();
  const candidates: WindowCandidate[] = [];
  const after: S[] = [];
  for (const at of times) {
    predictor.restore(snapshot);
    const prediction = predictor.predictAt(at);
    candidates.push({ at, prediction, comparison: compare(prediction, observed, capabilities) });
    after.push(predictor.state());
  }
  const i = candidates.findIndex((c) => matches(c.comparison));
  predictor.restore(after[Math.max(i, 0)]!);
  if (i < 0) return { verdict: "diverged", accepted: candidates[0]!, candidates };
  return { verdict: i === 0 ? "exact" : "window", accepted: candidates[i]!, candidates };
}
