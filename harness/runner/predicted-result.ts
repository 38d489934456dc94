import type { Prediction } from "../core/index.ts";

/**
 * The comparable part of a prediction, as journals keep it. The oracle's own object carries more (the
 * Status body, Go-map-order alternatives) that the journal's strict schema does not know; passing it
 * through made the first real divergence unrecordable ("Unrecognized key").
 */
export function predictedResult(p: Prediction): Prediction {
  return {
    code: p.code,
    outcome: p.outcome,
    message: p.message,
    checks: p.checks,
    user: p.user,
    constraint: p.constraint,
    mode: p.mode,
    indeterminate: p.indeterminate,
  };
}
