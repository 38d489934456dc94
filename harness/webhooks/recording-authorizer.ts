import type { CheckAttributes } from "../core/index.ts";
import { JsonWebhookServer } from "./json-webhook-server.ts";
import { type SarSpec, sarToCheck } from "./sar-to-check.ts";

/** Extra key the harness puts on its own barrier SARs so they never count as observed checks. */
export const BARRIER_EXTRA_KEY = "impfuzz.dev/barrier";

export interface RecordedCheck {
  /** Arrival order across the whole recorder: the apiserver makes one request's checks sequentially. */
  readonly seq: number;
  /** performance.now() at arrival, to bound a check by the probe that was in flight. */
  readonly at: number;
  readonly attributes: CheckAttributes;
}

/**
 * The authorization webhook first in the chain. It answers every SubjectAccessReview with NoOpinion
 * (allowed: false, no `denied`), so Node and RBAC decide as if it were absent, and records each one in
 * arrival order: the ordered list of checks the server made. Requestors in system:masters never
 * reach it (the privileged-groups authorizer answers first).
 */
export class RecordingAuthorizer {
  private entries: RecordedCheck[] = [];
  private nextSeq = 0;
  private dropped = 0;

  private constructor(private readonly server: JsonWebhookServer) {}

  static async start(host?: string): Promise<RecordingAuthorizer> {
    let self: RecordingAuthorizer | undefined;
    const server = await JsonWebhookServer.start({ "/authorize": (body) => self!.review(body as { spec?: SarSpec }) }, host);
    self = new RecordingAuthorizer(server);
    return self;
  }

  get url(): string {
    return this.server.url;
  }

  private review(body: { spec?: SarSpec }): unknown {
    const spec = body.spec ?? {};
    if (spec.extra?.[BARRIER_EXTRA_KEY]) {
      this.dropped++;
    } else {
      this.entries.push({ seq: this.nextSeq++, at: performance.now(), attributes: sarToCheck(spec) });
    }
    return { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", status: { allowed: false } };
  }

  /** The sequence number the next recorded check will get: a mark to read "everything after this". */
  mark(): number {
    return this.nextSeq;
  }

  /** Checks with seq in [from, to), in arrival order. */
  between(from: number, to = Number.POSITIVE_INFINITY): RecordedCheck[] {
    return this.entries.filter((e) => e.seq >= from && e.seq < to);
  }

  /** Long runs forget what no probe can still claim, so memory stays flat. */
  discardBefore(seq: number): void {
    const i = this.entries.findIndex((e) => e.seq >= seq);
    this.entries = i < 0 ? [] : this.entries.slice(i);
  }

  get size(): number {
    return this.entries.length;
  }

  get barrierChecksDropped(): number {
    return this.dropped;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
