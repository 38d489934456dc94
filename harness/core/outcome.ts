import type { Check } from "./check.ts";
import type { UserInfo } from "./user-info.ts";

/**
 * `allowed`: impersonation (if any) and the request's own authorization passed (the handler may still
 * answer 404/409/422). `impersonation-denied`: the impersonation filter answered 403.
 * `request-denied`: impersonation passed but the impersonated user may not make the request.
 * `bad-request`: 400 from impersonation header parsing.
 */
export type Outcome = "allowed" | "impersonation-denied" | "request-denied" | "bad-request";

export const CONSTRAINED_MODES = ["associated-node", "arbitrary-node", "serviceaccount", "user-info"] as const;
export type ConstrainedMode = (typeof CONSTRAINED_MODES)[number];
export type ModeName = ConstrainedMode | "legacy";
export const ALL_MODES: readonly ModeName[] = [...CONSTRAINED_MODES, "legacy"];

/** The audit `impersonationConstraint`: `impersonate:<mode>` for a constrained success, "" otherwise. */
export type Constraint = `impersonate:${ConstrainedMode}` | "";

/**
 * The observable result of one request, the shared shape of the oracle's Prediction and the runner's
 * Observation so that comparison is a field-by-field diff.
 */
export interface RequestResult {
  /** HTTP status; `null` when the handler decides it (an allowed request's 200/404/409...). */
  readonly code: number | null;
  readonly outcome: Outcome;
  /** Status message for 400/403; `null` when the handler decides it. */
  readonly message: string | null;
  /** Ordered authorization checks, the final authorization of the request included. */
  readonly checks: readonly Check[];
  /** Resulting identity the request was served as; null when impersonation was denied or invalid. */
  readonly user: UserInfo | null;
  readonly constraint: Constraint;
}

/** A field the oracle cannot decide is named, with why, never guessed. */
export interface Indeterminate {
  readonly field: "code" | "message" | "checks" | "user" | "outcome";
  readonly reason: string;
}

export interface Prediction extends RequestResult {
  /** The mode that succeeded (null when none did, or no impersonation was requested). */
  readonly mode: ModeName | null;
  readonly indeterminate: readonly Indeterminate[];
}
