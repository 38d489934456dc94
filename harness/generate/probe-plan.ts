import fc from "fast-check";
import type { HeaderList } from "./_internals/helpers/headers.ts";
import type { GrantMode } from "./_internals/builders/grants.ts";
import { assertWeights } from "./_internals/helpers/weighted.ts";
import { arbitraryNodeProbe } from "./_internals/builders/probes/arbitrary-node.ts";
import { associatedNodeProbe } from "./_internals/builders/probes/associated-node.ts";
import { badRequestProbe } from "./_internals/builders/probes/bad-request.ts";
import { chaosProbe } from "./_internals/builders/probes/chaos.ts";
import { legacyProbe } from "./_internals/builders/probes/legacy.ts";
import { noImpersonationProbe } from "./_internals/builders/probes/no-impersonation.ts";
import { serviceAccountProbe } from "./_internals/builders/probes/service-account.ts";
import { userInfoProbe } from "./_internals/builders/probes/user-info.ts";
import type { GrantPlan } from "./grant-plan.ts";
import type { RequestorSpec } from "./requestor.ts";
import type { TargetRequest } from "./target-request.ts";

export type { GrantMode } from "./_internals/builders/grants.ts";

/**
 * The mode a probe is shaped to reach (SPEC §6): the requestor, headers and grants are cut for it.
 * `no-impersonation` sends no (or an empty) Impersonate-User; `bad-request` sends impersonation
 * headers without a user (400); `chaos` combines anything with grants for a random mode.
 */
export const INTENDED_MODES = [
  "user-info",
  "serviceaccount",
  "arbitrary-node",
  "associated-node",
  "legacy",
  "no-impersonation",
  "bad-request",
  "chaos",
] as const;
export type IntendedMode = (typeof INTENDED_MODES)[number];

/**
 * One probe before the case names it: who (shape), what headers, which request, which grants.
 * `variant` names the sub-shape (e.g. `node-extra-mismatch`, `only-legacy-applies`) for statistics.
 */
export interface ProbePlan {
  readonly mode: IntendedMode;
  readonly variant: string;
  readonly requestor: RequestorSpec;
  readonly headers: HeaderList;
  /** Replace the Impersonate-User value(s) by the requestor's own (final) name. */
  readonly impersonateSelf: boolean;
  readonly target: TargetRequest;
  readonly grant: GrantPlan;
  /** Whose permissions the grants are cut for. */
  readonly grantMode: GrantMode;
}

export interface ProbePlanConstraints {
  /**
   * Intended modes with weights; a mode missing from the record is not generated.
   * @defaultValue user-info 24, serviceaccount 13, arbitrary-node 12, associated-node 13, legacy 16,
   * no-impersonation 7, bad-request 5, chaos 10
   */
  readonly modes?: Partial<Record<IntendedMode, number>>;
}

export const DEFAULT_MODE_WEIGHTS: Readonly<Record<IntendedMode, number>> = {
  "user-info": 24,
  serviceaccount: 13,
  "arbitrary-node": 12,
  "associated-node": 13,
  legacy: 16,
  "no-impersonation": 7,
  "bad-request": 5,
  chaos: 10,
};

function modeArb(mode: IntendedMode): fc.Arbitrary<ProbePlan> {
  switch (mode) {
    case "user-info":
      return userInfoProbe();
    case "serviceaccount":
      return serviceAccountProbe();
    case "arbitrary-node":
      return arbitraryNodeProbe();
    case "associated-node":
      return associatedNodeProbe();
    case "legacy":
      return legacyProbe();
    case "no-impersonation":
      return noImpersonationProbe();
    case "bad-request":
      return badRequestProbe();
    case "chaos":
      return chaosProbe();
  }
}

/** One probe's plan, drawn from the per-mode shapes (user-info first: the simplest to shrink to). */
export function probePlan(constraints: ProbePlanConstraints = {}): fc.Arbitrary<ProbePlan> {
  const weights = constraints.modes ?? DEFAULT_MODE_WEIGHTS;
  assertWeights("probePlan.modes", weights);
  for (const k of Object.keys(weights)) if (!(INTENDED_MODES as readonly string[]).includes(k)) throw new RangeError(`probePlan: unknown mode ${k}`);
  const entries = INTENDED_MODES.map((m) => [m, weights[m] ?? 0] as const).filter(([, w]) => w > 0);
  if (entries.length === 0) throw new RangeError("probePlan: no mode has a positive weight");
  if (entries.length === 1) return modeArb(entries[0]![0]);
  return fc.oneof({ withCrossShrink: true }, ...entries.map(([m, w]) => ({ arbitrary: modeArb(m), weight: w })));
}
