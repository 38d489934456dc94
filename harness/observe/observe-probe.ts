import type { StartedCluster } from "../cluster/provider.ts";
import type { ApiResponse } from "../cluster/api-client.ts";
import type { AuditEvent } from "../cluster/audit-log.ts";
import { type HttpRequest, type Outcome, type UserInfo, ClusterUnreachableError } from "../core/index.ts";
import type { RecordedCheck } from "../webhooks/index.ts";
import { constraintFromAudit, type Observation, userFromAudit } from "./observation.ts";

export interface Probe {
  /** The requestor as minted (the server adds system:authenticated). Its username must be unique to this probe. */
  readonly requestor: UserInfo;
  readonly request: HttpRequest;
}

/**
 * Whether the server treats the request as impersonating: it does when the first Impersonate-User
 * value is non-empty (SPEC §5); an empty or absent user with other Impersonate-* headers is a 400,
 * and an empty user alone is a plain request as the requestor.
 */
export function asksToImpersonate(headers: HttpRequest["headers"]): boolean {
  const user = headers.find(([k]) => k.toLowerCase() === "impersonate-user");
  return user !== undefined && user[1] !== "";
}

const IMPERSONATION_HEADER = /^impersonate-/i;

/** A probe whose response is in: the recorder entries it may own are already collected. */
export interface SentProbe {
  readonly probe: Probe;
  readonly res: ApiResponse;
  /** Recorded checks that arrived while it was in flight and carry a username it may own. */
  readonly candidates: readonly RecordedCheck[];
  readonly impersonating: boolean;
  readonly anyImpersonationHeader: boolean;
}

/**
 * Sends one probe as a freshly minted requestor and keeps the recorder entries it may own.
 *
 * Checks are attributed by identity, since SubjectAccessReviews carry no request id: the impersonation
 * checks carry the requestor (unique per probe), the final authorization carries the identity the
 * request ended up as, which is either the wanted user or the requestor. Entries with either username
 * that arrived while this request was in flight are kept. Callers running probes concurrently must not
 * have two in flight that share such a username (the runner's KeyedLimiter ensures it).
 */
export async function sendProbe(cluster: StartedCluster, probe: Probe): Promise<SentProbe> {
  const token = cluster.mintToken(probe.requestor);
  const from = cluster.recorder?.mark() ?? 0;
  let res: ApiResponse;
  try {
    res = await cluster.api.send(token, probe.request);
  } catch (e) {
    throw new ClusterUnreachableError(`probe ${probe.request.method} ${probe.request.path} failed: ${(e as Error).message}`, e);
  }
  const to = cluster.recorder?.mark() ?? 0;
  const names = new Set([probe.requestor.username, wantedUsername(probe.request.headers)]);
  const candidates = cluster.recorder
    ? cluster.recorder.between(from, to).filter((e) => inWindow(e, res) && names.has(e.attributes.user.username))
    : [];
  return {
    probe,
    res,
    candidates,
    impersonating: asksToImpersonate(probe.request.headers),
    anyImpersonationHeader: probe.request.headers.some(([k]) => IMPERSONATION_HEADER.test(k)),
  };
}

/** Joins a sent probe with its audit event (found by Audit-Id) into an observation. */
export async function finishProbe(cluster: StartedCluster, sent: SentProbe): Promise<Observation> {
  const { probe, res, impersonating } = sent;
  const audit = cluster.audit ? await cluster.audit.find(res.auditId) : undefined;
  const impersonated = userFromAudit(audit?.impersonatedUser);
  const requestor = userFromAudit(audit?.user);
  const finalUser = impersonated ?? (impersonating ? null : requestor);
  const outcome = outcomeOf(res, audit, impersonating, sent.anyImpersonationHeader);
  const mine = sent.candidates.filter(
    (e) => e.attributes.user.username === probe.requestor.username || (finalUser && e.attributes.user.username === finalUser.username),
  );
  const status = res.json as { message?: string } | undefined;
  return {
    code: res.status,
    outcome,
    message: outcome === "allowed" ? (status?.message ?? null) : (status?.message ?? res.text),
    checks: mine.map((e) => ({ attributes: e.attributes })),
    user: outcome === "impersonation-denied" || outcome === "bad-request" ? null : finalUser,
    constraint: constraintFromAudit(audit),
    auditId: res.auditId,
    audit,
    body: res.json ?? res.text,
    latencyMs: res.receivedAt - res.sentAt,
  };
}

export async function observeProbe(cluster: StartedCluster, probe: Probe): Promise<Observation> {
  return finishProbe(cluster, await sendProbe(cluster, probe));
}

function wantedUsername(headers: HttpRequest["headers"]): string {
  return headers.find(([k]) => k.toLowerCase() === "impersonate-user")?.[1] ?? "";
}

function inWindow(e: RecordedCheck, res: ApiResponse): boolean {
  return e.at >= res.sentAt && e.at <= res.receivedAt;
}

/**
 * SCENARIO-FORMAT semantics. A 403 is the impersonation filter's when the audit event has no
 * impersonatedUser although impersonation was asked for; otherwise it is the request's own
 * authorization. Without an audit log, a 403 on an impersonating request cannot be split and is
 * reported as impersonation-denied only if the message names an impersonation verb.
 */
export function outcomeOf(res: ApiResponse, audit: AuditEvent | undefined, impersonating: boolean, anyImpersonationHeader = impersonating): Outcome {
  if (res.status === 400 && anyImpersonationHeader && /without impersonating a user/.test(res.text)) return "bad-request";
  if (res.status !== 403) return "allowed";
  if (!impersonating) return "request-denied";
  if (audit) return audit.impersonatedUser ? "request-denied" : "impersonation-denied";
  return /cannot impersonate(-on)?[: ]/.test(res.text) ? "impersonation-denied" : "request-denied";
}
