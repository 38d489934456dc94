import { randomBytes } from "node:crypto";
import { lstat, rename, rm, stat, symlink } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { ReportWriteError } from "./write-reports.ts";

/**
 * Points `<reportsDir>/latest` at `runDir`, replacing any previous link atomically: a temp symlink
 * beside it is renamed over `latest`, so readers never find it missing. The target is relative
 * (`<run-id>` for a run folder inside `reportsDir`), so the reports folder can be moved or archived
 * as a CI artifact with the link intact. Call it once the run's reports are written; the caller's
 * run is by definition the newest. Returns the link's path.
 */
export async function latestLink(reportsDir: string, runDir: string): Promise<string> {
  const link = join(reportsDir, "latest");
  const target = relative(resolve(reportsDir), resolve(runDir)) || ".";
  try {
    if (!(await stat(runDir)).isDirectory()) throw new Error("not a directory");
  } catch (e) {
    throw new ReportWriteError(link, `run folder ${runDir} does not exist or is not a folder (${codeOf(e)}): write the reports first`, e);
  }
  const existing = await lstat(link).catch(() => undefined);
  if (existing !== undefined && !existing.isSymbolicLink()) {
    throw new ReportWriteError(link, "it exists and is not a symbolic link: move it away so impfuzz can manage it");
  }
  const tmp = join(reportsDir, `.latest.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await symlink(target, tmp, "dir");
    await rename(tmp, link);
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new ReportWriteError(link, `cannot point it at ${target} (${codeOf(e)}): check permissions on ${reportsDir}`, e);
  }
  return link;
}

function codeOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ?? String(err?.message ?? e);
}
