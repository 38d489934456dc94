import type { Check, Constraint, RequestResult, UserInfo } from "../core/index.ts";
import type { AuditEvent } from "../cluster/audit-log.ts";

/** What the real server did for one probe: the same shape as a Prediction, plus the raw evidence. */
export interface Observation extends RequestResult {
  readonly auditId: string;
  /** The audit event, when the provider has an audit log and the event was found. */
  readonly audit: AuditEvent | undefined;
  /** The response body, parsed when it is JSON (e.g. a SelfSubjectReview's userInfo). */
  readonly body: unknown;
  /** Wall time of the request, ms. */
  readonly latencyMs: number;
}

export function userFromAudit(u: Partial<UserInfo> | undefined): UserInfo | null {
  if (!u || u.username === undefined) return null;
  return { username: u.username, uid: u.uid ?? "", groups: u.groups ?? [], extra: u.extra ?? {} };
}

export function constraintFromAudit(ev: AuditEvent | undefined): Constraint {
  return (ev?.authenticationMetadata?.impersonationConstraint ?? "") as Constraint;
}

export type { Check };
