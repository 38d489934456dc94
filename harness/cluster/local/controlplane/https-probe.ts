import { request } from "node:https";

/** GET `url` with a bearer token, trusting `ca`; resolves the status code (0 on connection errors). */
export function httpsStatus(url: string, ca: string, token: string, timeoutMs = 2000): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const r = request(url, { ca, headers: { Authorization: `Bearer ${token}` }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", () => resolve({ status: 0, body: "" }));
    });
    r.on("timeout", () => r.destroy());
    r.on("error", () => resolve({ status: 0, body: "" }));
    r.end();
  });
}
