import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { apiserverFlags } from "../../apiserver-flags.ts";
import type { HarnessFiles } from "../../harness-files.ts";
import { freePort } from "../process/free-port.ts";
import { StartedChild } from "../process/child-process.ts";
import { httpsStatus } from "./https-probe.ts";

export interface StartedApiserver {
  readonly child: StartedChild;
  readonly url: string;
  /** PEM bundle the server wrote into its cert dir (self-signed serving cert and its CA). */
  readonly caPem: string;
  readonly auditLogPath: string;
}

/**
 * Starts kube-apiserver and waits until it is really usable: `/readyz` 200 (post-start hooks,
 * bootstrap RBAC included) and then the `default` namespace readable, as upstream's test server does.
 */
export async function startApiserver(
  binary: string,
  opts: { files: HarnessFiles; etcdUrl: string; workDir: string; gate: boolean; timeoutMs?: number },
): Promise<StartedApiserver> {
  const port = await freePort();
  const certDir = join(opts.workDir, "pki");
  const auditLogPath = join(opts.workDir, "audit.log");
  const flags = apiserverFlags({
    files: opts.files,
    etcdUrl: opts.etcdUrl,
    bindAddress: "127.0.0.1",
    securePort: port,
    certDir,
    auditLogPath,
    gate: opts.gate,
  });
  const child = StartedChild.start({
    name: "kube-apiserver",
    command: binary,
    args: flags.render(),
    logFile: join(opts.workDir, "kube-apiserver.log"),
  });
  const url = `https://127.0.0.1:${port}`;
  const crt = join(certDir, "apiserver.crt");
  let caPem = "";
  await child.waitUntilHealthy(async () => {
    if (!caPem) {
      if (!existsSync(crt)) return false;
      caPem = readFileSync(crt, "utf8");
    }
    const ready = await httpsStatus(`${url}/readyz`, caPem, opts.files.adminToken);
    // Status 0 is a connection or TLS failure: the bundle may have been read while being written.
    if (ready.status === 0) caPem = "";
    if (ready.status !== 200) return false;
    return (await httpsStatus(`${url}/api/v1/namespaces/default`, caPem, opts.files.adminToken)).status === 200;
  }, opts.timeoutMs ?? 120_000);
  return { child, url, caPem, auditLogPath };
}
