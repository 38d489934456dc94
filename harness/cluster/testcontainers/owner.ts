import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, dirname } from "node:path";
import type { ContainerRuntimeClient } from "testcontainers";
import { TEMP_PREFIX } from "../local/process/temp-dir.ts";

/**
 * Labels every impfuzz container carries besides testcontainers' own (`org.testcontainers=true`):
 * which cluster it belongs to and which process owns it. With Ryuk off, the owner labels are how a
 * later start finds containers a crashed or killed run left behind: same host, owner process gone.
 */
export const LABEL_RUN = "dev.impfuzz.run";
export const LABEL_COMPONENT = "dev.impfuzz.component";
export const LABEL_OWNER_HOST = "dev.impfuzz.owner-host";
export const LABEL_OWNER_PID = "dev.impfuzz.owner-pid";
/** The owner's start time (clock ticks since boot, /proc/<pid>/stat field 22): a reused pid does not match. */
export const LABEL_OWNER_START = "dev.impfuzz.owner-start";

/** Start time of a process from /proc, or undefined when there is no such process (or no /proc). */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // Field 2 (comm) is in parentheses and may contain spaces; fields after the last ")" are plain.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // rest[0] is field 3 (state), so field 22 (starttime) is rest[19].
  return rest[19];
}

export interface Owner {
  readonly host: string;
  readonly pid: number;
  readonly start: string;
}

export function currentOwner(): Owner {
  return { host: hostname(), pid: process.pid, start: processStartTime(process.pid) ?? "unknown" };
}

export function ownerLabels(runId: string, component: string, owner: Owner = currentOwner()): Record<string, string> {
  return {
    [LABEL_RUN]: runId,
    [LABEL_COMPONENT]: component,
    [LABEL_OWNER_HOST]: owner.host,
    [LABEL_OWNER_PID]: String(owner.pid),
    [LABEL_OWNER_START]: owner.start,
  };
}

/**
 * Whether the process that labelled a container is gone. Only owners on this host are judged (an
 * engine may be shared by several machines); an owner whose pid runs with another start time is gone.
 */
export function ownerIsDead(labels: Readonly<Record<string, string>>, here: string = hostname()): boolean {
  if (labels[LABEL_OWNER_HOST] !== here) return false;
  const pid = Number(labels[LABEL_OWNER_PID]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const start = processStartTime(pid);
  if (start !== undefined) return labels[LABEL_OWNER_START] !== "unknown" && start !== labels[LABEL_OWNER_START];
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export interface RemovedOrphan {
  readonly id: string;
  readonly component: string;
  readonly ownerPid: string;
  /** The dead run's temp dirs (mounted into the container) that were removed with it. */
  readonly dirs: readonly string[];
}

/**
 * Removes (with their anonymous volumes) impfuzz containers whose owner process is dead, and the temp
 * dirs the dead run had mounted into them: only impfuzz's own (`impfuzz-*` directly in the temp dir or
 * /dev/shm), never any other bind mount.
 */
export async function removeOrphans(client: ContainerRuntimeClient): Promise<RemovedOrphan[]> {
  const docker = client.container.dockerode;
  const all = await docker.listContainers({ all: true, filters: { label: [LABEL_RUN] } });
  const removed: RemovedOrphan[] = [];
  for (const c of all) {
    if (!ownerIsDead(c.Labels)) continue;
    try {
      await docker.getContainer(c.Id).remove({ force: true, v: true });
    } catch (e) {
      // Another impfuzz starting at the same moment may have removed it first.
      const status = (e as { statusCode?: number }).statusCode;
      if (status !== 404 && status !== 409) throw e;
      continue;
    }
    const dirs = (c.Mounts ?? []).filter((m) => m.Type === "bind" && isImpfuzzTempDir(m.Source)).map((m) => m.Source);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    removed.push({ id: c.Id, component: c.Labels[LABEL_COMPONENT] ?? "?", ownerPid: c.Labels[LABEL_OWNER_PID] ?? "?", dirs });
  }
  return removed;
}

export function isImpfuzzTempDir(path: string): boolean {
  return [tmpdir(), "/dev/shm"].includes(dirname(path)) && basename(path).startsWith(TEMP_PREFIX);
}

/**
 * Last resort at process exit (only synchronous work is possible there): `docker rm -f -v` through
 * the CLI. Best effort; whatever survives is removed by the next start's removeOrphans.
 */
export function removeContainersSync(ids: readonly string[]): void {
  if (ids.length === 0) return;
  spawnSync("docker", ["rm", "--force", "--volumes", ...ids], { stdio: "ignore", timeout: 15_000 });
}
