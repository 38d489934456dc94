import { mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { isImpfuzzError } from "../core/index.ts";
import { latestLink, renderJunit, ReportWriteError, writeFileAtomic, writeReports } from "./index.ts";
import { divergenceRecord, flakeRecord, fuzzSummary } from "./_testing/fixtures.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "impfuzz-report-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("writeReports", () => {
  it("writes summary.json, report.md, report.html and junit.xml, and nothing else", async () => {
    const runDir = join(dir, "reports", "run-1");
    const summary = fuzzSummary();
    const records = [divergenceRecord(), flakeRecord()];
    const files = await writeReports(runDir, summary, records);
    expect(files).toEqual({
      summary: join(runDir, "summary.json"),
      markdown: join(runDir, "report.md"),
      html: join(runDir, "report.html"),
      junit: join(runDir, "junit.xml"),
    });
    expect((await readdir(runDir)).sort()).toEqual(["junit.xml", "report.html", "report.md", "summary.json"]);
    expect(JSON.parse(await readFile(files.summary, "utf8"))).toEqual(summary);
    expect(await readFile(files.junit, "utf8")).toBe(renderJunit(summary, records));
  });

  it("replaces an earlier set and leaves the journal beside it alone", async () => {
    const runDir = join(dir, "run-1");
    await mkdir(runDir);
    await writeFile(join(runDir, "divergences.jsonl"), "");
    await writeReports(runDir, fuzzSummary({ cases: 1 }), []);
    await writeReports(runDir, fuzzSummary({ cases: 2 }), []);
    expect(JSON.parse(await readFile(join(runDir, "summary.json"), "utf8")).cases).toBe(2);
    expect((await readdir(runDir)).sort()).toEqual(["divergences.jsonl", "junit.xml", "report.html", "report.md", "summary.json"]);
  });

  it("fails with a one-line error naming the file, and leaves no temp file behind", async () => {
    const runDir = join(dir, "run-1");
    await mkdir(join(runDir, "junit.xml"), { recursive: true }); // a folder where a file must go: rename fails
    const error = await writeReports(runDir, fuzzSummary(), []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportWriteError);
    expect(isImpfuzzError(error) && error.code).toBe("E_REPORT_WRITE");
    expect((error as Error).message).toMatch(/junit\.xml: cannot write report: E\w+: check free space and permissions/);
    expect((error as Error).message).not.toContain("\n");
    const left = await readdir(runDir);
    expect(left.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    // Files renamed before the failure are complete; summary.json, renamed last, is not there.
    expect(left.sort()).toEqual(["junit.xml", "report.html", "report.md"]);
  });
});

describe("writeFileAtomic", () => {
  it("overwrites in place through a temp file that does not survive", async () => {
    const file = join(dir, "a.txt");
    await writeFileAtomic(file, "one");
    await writeFileAtomic(file, "two 😀");
    expect(await readFile(file, "utf8")).toBe("two 😀");
    expect(await readdir(dir)).toEqual(["a.txt"]);
  });
});

describe("latestLink", () => {
  it("points reports/latest at the run folder with a relative target, then re-points it", async () => {
    await mkdir(join(dir, "run-1"));
    await mkdir(join(dir, "run-2"));
    const link = await latestLink(dir, join(dir, "run-1"));
    expect(link).toBe(join(dir, "latest"));
    expect(await readlink(link)).toBe("run-1");
    await latestLink(dir, join(dir, "run-2"));
    expect(await readlink(link)).toBe("run-2");
    expect(await realpath(link)).toBe(await realpath(join(dir, "run-2")));
    expect((await readdir(dir)).sort()).toEqual(["latest", "run-1", "run-2"]);
  });

  it("refuses a run folder that does not exist", async () => {
    await expect(latestLink(dir, join(dir, "nope"))).rejects.toThrow(/latest: cannot write report: run folder .*nope does not exist/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("will not replace a real folder named latest", async () => {
    await mkdir(join(dir, "run-1"));
    await mkdir(join(dir, "latest"));
    await expect(latestLink(dir, join(dir, "run-1"))).rejects.toThrow(/is not a symbolic link: move it away/);
  });

  it("replaces a dangling link", async () => {
    await mkdir(join(dir, "run-1"));
    await symlink("gone", join(dir, "latest"));
    await latestLink(dir, join(dir, "run-1"));
    expect(await readlink(join(dir, "latest"))).toBe("run-1");
  });
});
