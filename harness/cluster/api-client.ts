import { Agent, request as httpsRequest } from "node:https";
import type { HttpRequest } from "../core/index.ts";

export interface ApiEndpoint {
  /** `https://127.0.0.1:PORT` */
  readonly url: string;
  /** PEM bundle that verifies the serving certificate. */
  readonly ca: string;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly text: string;
  /** Parsed JSON body when it is JSON. */
  readonly json: unknown;
  readonly auditId: string;
  /** performance.now() when the request was written and when the response ended. */
  readonly sentAt: number;
  readonly receivedAt: number;
}

/**
 * Raw HTTPS to the apiserver. Not fetch: fetch folds repeated headers into one comma-joined value,
 * and `Impersonate-Group: a` + `Impersonate-Group: b` must reach the server as two header lines.
 * Headers go out as a flat raw list in exactly the given order and spelling.
 */
export class ApiClient {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(
    readonly endpoint: ApiEndpoint,
    maxSockets = 64,
  ) {
    this.base = new URL(endpoint.url);
    this.agent = new Agent({ keepAlive: true, maxSockets, ca: endpoint.ca });
  }

  send(token: string | undefined, req: HttpRequest, timeoutMs = 30_000): Promise<ApiResponse> {
    const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body));
    // With a raw header list Node adds no Host header of its own.
    const raw: string[] = ["Host", this.base.host];
    if (token) raw.push("Authorization", `Bearer ${token}`);
    raw.push("Accept", "application/json");
    const ownType = req.headers.some(([k]) => k.toLowerCase() === "content-type");
    if (body) {
      if (!ownType) raw.push("Content-Type", contentTypeFor(req.method));
      raw.push("Content-Length", String(body.length));
    }
    for (const [k, v] of req.headers) raw.push(k, v);
    return new Promise((resolve, reject) => {
      const sentAt = performance.now();
      const r = httpsRequest(
        {
          protocol: "https:",
          hostname: this.base.hostname,
          port: this.base.port,
          method: req.method,
          path: req.path,
          agent: this.agent,
          headers: raw,
          timeout: timeoutMs,
        },
        (res) => {
          // An allowed watch streams until its timeout; the status and headers are all a probe needs.
          if (String(res.headers["content-type"] ?? "").includes("stream=watch")) {
            res.destroy();
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text: "",
              json: undefined,
              auditId: String(res.headers["audit-id"] ?? ""),
              sentAt,
              receivedAt: performance.now(),
            });
            return;
          }
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let json: unknown;
            try {
              json = text ? JSON.parse(text) : undefined;
            } catch {
              json = undefined;
            }
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              text,
              json,
              auditId: String(res.headers["audit-id"] ?? ""),
              sentAt,
              receivedAt: performance.now(),
            });
          });
          res.on("error", reject);
        },
      );
      r.on("timeout", () => r.destroy(new Error(`request ${req.method} ${req.path} timed out after ${timeoutMs} ms`)));
      r.on("error", reject);
      if (body) r.write(body);
      r.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function contentTypeFor(method: string): string {
  return method.toUpperCase() === "PATCH" ? "application/merge-patch+json" : "application/json";
}
