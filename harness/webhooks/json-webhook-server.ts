import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type JsonHandler = (body: unknown) => unknown;
export type JsonRoutes = Readonly<Record<string, JsonHandler>>;

/**
 * A plain-HTTP JSON endpoint on loopback: what kube-apiserver's webhook kubeconfigs point at. Plain
 * HTTP is accepted for authn/authz webhook kubeconfigs (only admission webhooks insist on https), and
 * loopback keeps every byte of traffic on this machine.
 */
export class JsonWebhookServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** `url` is the address of the first route; other routes are served on the same port. */
  static async start(routes: JsonRoutes, host = "127.0.0.1"): Promise<JsonWebhookServer> {
    const server = createServer((req, res) => serve(req, res, routes));
    // The apiserver keeps connections alive; without this a stop() would wait for them to idle out.
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    return new JsonWebhookServer(server, `http://${host}:${port}${Object.keys(routes)[0] ?? "/"}`);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function serve(req: IncomingMessage, res: ServerResponse, routes: JsonRoutes): void {
  const handler = routes[req.url?.split("?")[0] ?? ""];
  if (req.method !== "POST" || !handler) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    try {
      const answer = handler(JSON.parse(Buffer.concat(chunks).toString("utf8")));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    } catch (e) {
      // A 500 makes the apiserver apply failurePolicy (Deny), so a broken recorder is visible as 403s.
      res.writeHead(500, { "content-type": "text/plain" }).end(String(e));
    }
  });
}
