import { createServer } from "node:net";

/**
 * A port the kernel says is free on 127.0.0.1 now. Another process may take it before the child
 * binds it; callers treat "address already in use" as a retryable start failure.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}
