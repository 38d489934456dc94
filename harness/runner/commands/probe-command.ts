import { compareInWindow, type WindowedComparison } from "../../compare/index.ts";
import { asAuthenticated, type Prediction } from "../../core/index.ts";
import { emptyState } from "../../oracle/index.ts";
import { toHttpRequest } from "../../scenario/index.ts";
import { LOCAL_NAMES, type RequestKey, type SequenceNames, type WantedKey, type Who } from "./catalogue.ts";
import { formatStep, type ScenarioStep } from "./format-step.ts";
import {
  StatefulDivergenceError,
  cacheBoundaries,
  setClock,
  type StatefulCommand,
  type StatefulModel,
  type StatefulSystem,
  type TimedObservation,
} from "./stateful-model.ts";

/**
 * Sends one impersonating request as one of the sequence's two fixed requestors, so the server's mode
 * index and caches for that name carry over from earlier steps. The oracle predicts from its state at
 * the measured time; a probe close to a cache entry's expiry is compared against every prediction the
 * ±window allows (compare-in-window.ts). A divergence throws, with the diff and the steps so far.
 */
export class ProbeCommand implements StatefulCommand {
  constructor(
    readonly who: Who,
    readonly wanted: WantedKey,
    readonly request: RequestKey,
  ) {}

  check(): boolean {
    return true;
  }

  async run(model: StatefulModel, real: StatefulSystem): Promise<void> {
    const requestor = model.names.requestors[this.who];
    const request = toHttpRequest(this.scenarioRequest(model.names));
    const observed = await real.probe(requestor, request);
    const authenticated = asAuthenticated(requestor);
    const verdict = compareInWindow(
      {
        state: () => model.oracle.state(),
        restore: (s) => model.oracle.restore(s),
        predictAt: (at) => {
          setClock(model.clock, at);
          return model.oracle.predict(model.world, authenticated, request);
        },
      },
      observed.result,
      real.capabilities,
      { now: observed.at, windowMs: model.windowMs, boundaries: cacheBoundaries(model.oracle.state(), authenticated.username) },
    );
    const s = model.stats;
    s.probes++;
    if (dependsOnHistory(model, verdict, () => model.oracle.predict(model.world, authenticated, request))) s.historyDependent++;
    if (verdict.candidates.length > 1) s.inWindow++;
    if (verdict.verdict === "window") s.acceptedByWindow++;
    const key = `${observed.result.outcome}/${verdict.accepted.prediction.mode ?? "no mode"}`;
    s.outcomes[key] = (s.outcomes[key] ?? 0) + 1;
    model.transcript.push({ step: this.step(), note: noteOf(model, observed, verdict) });
    if (verdict.verdict === "diverged") throw StatefulDivergenceError.of(model, verdict, observed);
  }

  private scenarioRequest(names: SequenceNames) {
    const r = names.requestors[this.who];
    const as = Object.keys(r.extra).length ? { user: r.username, extra: r.extra } : { user: r.username };
    return { as, impersonate: { user: names.wanted[this.wanted] }, method: "GET", path: names.path(this.request) };
  }

  step(): ScenarioStep {
    return { request: this.scenarioRequest(LOCAL_NAMES) };
  }

  toString(): string {
    return formatStep(this.step());
  }
}

/**
 * Whether earlier steps changed this probe's answer: the accepted prediction against the oracle's
 * answer for the same request from an empty state (a fresh requestor), at the same time. The model's
 * state is left as it was.
 */
function dependsOnHistory(model: StatefulModel, verdict: WindowedComparison, predict: () => Prediction): boolean {
  const kept = model.oracle.state();
  model.oracle.restore(emptyState());
  setClock(model.clock, verdict.accepted.at);
  const fresh = predict();
  model.oracle.restore(kept);
  const shape = (p: Prediction) => JSON.stringify([p.outcome, p.code, p.message, p.constraint, p.user, p.checks.map((c) => c.attributes)]);
  return shape(fresh) !== shape(verdict.accepted.prediction);
}

function noteOf(model: StatefulModel, observed: TimedObservation, verdict: WindowedComparison): string {
  const o = observed.result;
  const when = `t=${((observed.at - model.t0) / 1000).toFixed(3)}s`;
  const what = `${o.code ?? "-"} ${o.outcome}${o.constraint ? ` ${o.constraint}` : ""}, ${o.checks.length} checks`;
  if (verdict.verdict === "exact") return `${when}: ${what}${verdict.candidates.length > 1 ? " (cache expiry within the window; matched at the measured time)" : ""}`;
  if (verdict.verdict === "window") {
    const shift = ((verdict.accepted.at - observed.at) / 1000).toFixed(3);
    return `${when}: ${what}; accepted within the TTL window: matches the prediction at ${shift.startsWith("-") ? "" : "+"}${shift}s, not the one at the measured time`;
  }
  return `${when}: ${what}; DIVERGED`;
}
