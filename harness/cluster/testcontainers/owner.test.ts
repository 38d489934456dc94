import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { currentOwner, isImpfuzzTempDir, LABEL_OWNER_PID, ownerIsDead, ownerLabels, processStartTime } from "./owner.ts";

function exitedPid(): number {
  return Number(spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout);
}

describe("container owners", () => {
  it("labels a container with the run, the component and this process", () => {
    const owner = currentOwner();
    expect(owner.pid).toBe(process.pid);
    expect(owner.start).toMatch(/^\d+$/);
    expect(ownerLabels("r1", "etcd")).toMatchObject({ "dev.impfuzz.run": "r1", "dev.impfuzz.component": "etcd", [LABEL_OWNER_PID]: String(process.pid) });
  });

  it("judges this process alive, an exited one dead, and a reused pid (other start time) dead", () => {
    const me = currentOwner();
    expect(ownerIsDead(ownerLabels("r", "etcd", me), me.host)).toBe(false);
    expect(ownerIsDead(ownerLabels("r", "etcd", { ...me, pid: exitedPid() }), me.host)).toBe(true);
    expect(ownerIsDead(ownerLabels("r", "etcd", { ...me, start: "1" }), me.host)).toBe(true);
  });

  it("never judges an owner on another host, or labels it cannot read", () => {
    const me = currentOwner();
    expect(ownerIsDead(ownerLabels("r", "etcd", { ...me, pid: exitedPid() }), "another-host")).toBe(false);
    expect(ownerIsDead({ "dev.impfuzz.owner-host": me.host, [LABEL_OWNER_PID]: "x" }, me.host)).toBe(false);
  });

  it("reads a process start time from /proc, none for a process that is gone", () => {
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(exitedPid())).toBeUndefined();
  });

  it("removes only impfuzz's own temp dirs with an orphan", () => {
    expect(isImpfuzzTempDir(join(tmpdir(), "impfuzz-cluster-abc"))).toBe(true);
    expect(isImpfuzzTempDir("/dev/shm/impfuzz-etcd-abc")).toBe(true);
    expect(isImpfuzzTempDir("/home/me/impfuzz-cluster-abc")).toBe(false);
    expect(isImpfuzzTempDir(join(tmpdir(), "other"))).toBe(false);
    expect(isImpfuzzTempDir(join(tmpdir(), "impfuzz-cluster-abc", "pki"))).toBe(false);
  });
});
