import { open, type FileHandle } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import type { UserInfo } from "../core/index.ts";

/** The audit.k8s.io/v1 Event fields impfuzz reads. */
export interface AuditEvent {
  readonly auditID: string;
  readonly stage: string;
  readonly verb?: string;
  readonly requestURI?: string;
  readonly user?: Partial<UserInfo>;
  readonly impersonatedUser?: Partial<UserInfo>;
  readonly authenticationMetadata?: { readonly impersonationConstraint?: string };
  readonly responseStatus?: { readonly code?: number; readonly message?: string; readonly reason?: string };
  readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Reads the apiserver's JSON-lines audit log incrementally and finds events by Audit-Id (every
 * response carries the id). The log backend writes after the response is sent, so a lookup polls
 * briefly instead of assuming the line is there.
 */
const MAX_UNCLAIMED = 50_000;

export class AuditLogReader {
  private readonly byId = new Map<string, AuditEvent>();
  private offset = 0;
  /** Bytes after the last newline read so far: kept as bytes so a UTF-8 character split across reads survives. */
  private partial: Buffer = Buffer.alloc(0);
  private handle: FileHandle | undefined;
  /** One read at a time: concurrent probes all look up events, and reads share the offset. */
  private reading: Promise<void> | undefined;

  constructor(readonly path: string) {}

  private readNew(): Promise<void> {
    this.reading ??= this.readNewOnce().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async readNewOnce(): Promise<void> {
    if (!this.handle) {
      try {
        this.handle = await open(this.path, "r");
      } catch {
        return;
      }
    }
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const { bytesRead } = await this.handle.read(buf, 0, buf.length, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      const data = Buffer.concat([this.partial, buf.subarray(0, bytesRead)]);
      const end = data.lastIndexOf(0x0a);
      if (end < 0) {
        this.partial = data;
        continue;
      }
      this.partial = Buffer.from(data.subarray(end + 1));
      for (const line of data.subarray(0, end).toString("utf8").split("\n")) {
        if (!line) continue;
        const ev = JSON.parse(line) as AuditEvent;
        if (ev.stage === "ResponseComplete" || ev.stage === "Panic") this.byId.set(ev.auditID, ev);
      }
      // Events nobody asks for (admin traffic, barrier SARs) must not grow memory in long runs.
      while (this.byId.size > MAX_UNCLAIMED) this.byId.delete(this.byId.keys().next().value as string);
    }
  }

  async find(auditId: string, timeoutMs = 5000): Promise<AuditEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.byId.get(auditId);
      if (hit) {
        this.byId.delete(auditId);
        return hit;
      }
      await this.readNew();
      if (this.byId.has(auditId)) continue;
      if (Date.now() > deadline) return undefined;
      await sleep(20);
    }
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
