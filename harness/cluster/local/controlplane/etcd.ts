import { join } from "node:path";
import { etcdFlags } from "../../apiserver-flags.ts";
import { freePort } from "../process/free-port.ts";
import { StartedChild } from "../process/child-process.ts";

export interface StartedEtcd {
  readonly child: StartedChild;
  readonly url: string;
}

export async function startEtcd(binary: string, dataDir: string, logDir: string, timeoutMs = 60_000): Promise<StartedEtcd> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const child = StartedChild.start({
    name: "etcd",
    command: binary,
    args: etcdFlags(join(dataDir, "etcd"), clientPort, peerPort).render(),
    logFile: join(logDir, "etcd.log"),
  });
  const url = `http://127.0.0.1:${clientPort}`;
  await child.waitUntilHealthy(async () => {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    return res.ok && ((await res.json()) as { health?: string }).health === "true";
  }, timeoutMs);
  return { child, url };
}
