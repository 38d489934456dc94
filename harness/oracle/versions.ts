/**
 * SPEC §13 as data: what differs between the supported Kubernetes versions. The constrained logic
 * (modes, order, checks, caches, messages) is identical in 1.35.4, 1.36.3 and 1.37.2 (verified upstream:
 * no behavioural diff in pkg/endpoints/filters/impersonation between v0.35.4, v0.36.3 and
 * v0.37.0-beta.0, only type renames and metrics); what differs is not a prediction field but is recorded
 * here so the runner and the report can state it. ≤1.34 (500 for headers without a user, no gate) is not
 * supported.
 */
import type { KubeVersion } from "../core/index.ts";

export interface VersionTraits {
  /** Default of the ConstrainedImpersonation gate (1.35 alpha off, 1.36+ beta on). */
  readonly gateDefault: boolean;
  /** HTTP code for uid/group/extra headers without Impersonate-User, under either gate. */
  readonly headersWithoutUserCode: 400;
  /** apiserver_impersonation_* metrics (§10.4), gate on only. */
  readonly metrics: boolean;
  /** Audit annotation apiserver.latency.k8s.io/impersonation for requests over 500 ms. */
  readonly latencyAnnotation: boolean;
  /** Audit authenticationMetadata.impersonationConstraint exists. */
  readonly auditConstraint: boolean;
}

export const VERSION_TRAITS: Readonly<Record<KubeVersion, VersionTraits>> = {
  "1.35.4": { gateDefault: false, headersWithoutUserCode: 400, metrics: false, latencyAnnotation: false, auditConstraint: true },
  "1.36.3": { gateDefault: true, headersWithoutUserCode: 400, metrics: true, latencyAnnotation: true, auditConstraint: true },
  "1.37.2": { gateDefault: true, headersWithoutUserCode: 400, metrics: true, latencyAnnotation: true, auditConstraint: true },
};

export function traitsOf(v: KubeVersion): VersionTraits {
  return VERSION_TRAITS[v];
}
