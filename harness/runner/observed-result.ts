import type { ObservedResult } from "../core/index.ts";
import type { Observation } from "../observe/index.ts";

/** The comparable part of an observation, as journals keep it (the raw audit event stays out). */
export function observedResult(o: Observation): ObservedResult {
  return {
    code: o.code,
    outcome: o.outcome,
    message: o.message,
    checks: o.checks,
    user: o.user,
    constraint: o.constraint,
    auditId: o.auditId,
  };
}
