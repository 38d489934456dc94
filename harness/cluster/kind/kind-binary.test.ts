import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ensureKind } from "./kind-binary.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A directory holding an executable `kind` that prints `version`'s answer. */
function fakeKind(answer: string): string {
  const dir = mkdtempSync(join(tmpdir(), "impfuzz-test-kind-"));
  dirs.push(dir);
  writeFileSync(join(dir, "kind"), `#!/bin/sh\necho '${answer}'\n`);
  chmodSync(join(dir, "kind"), 0o755);
  return dir;
}

describe("ensureKind", () => {
  it("uses IMPFUZZ_KIND when it is a kind binary", async () => {
    const dir = fakeKind("kind v0.33.0 go1.26.8 linux/amd64");
    const k = await ensureKind({ env: { IMPFUZZ_KIND: join(dir, "kind"), PATH: "" } });
    expect(k).toEqual({ path: join(dir, "kind"), version: "v0.33.0", source: "IMPFUZZ_KIND" });
  });

  it("rejects an IMPFUZZ_KIND that is not kind, naming the variable and the fix", async () => {
    const dir = fakeKind("something else");
    await expect(ensureKind({ env: { IMPFUZZ_KIND: join(dir, "kind"), PATH: "" } })).rejects.toThrow(/IMPFUZZ_KIND=.* is not a kind binary: point it at one, or unset it/);
  });

  it("takes kind from PATH, as users who installed it expect", async () => {
    const dir = fakeKind("kind v0.31.0 go1.25.0 linux/amd64");
    const k = await ensureKind({ env: { PATH: `/nonexistent:${dir}` } });
    expect(k).toEqual({ path: join(dir, "kind"), version: "v0.31.0", source: "PATH" });
  });

  it("refuses a kind on PATH too old for the supported Kubernetes versions", async () => {
    const dir = fakeKind("kind v0.20.0 go1.20.4 linux/amd64");
    await expect(ensureKind({ env: { PATH: dir } })).rejects.toThrow(/is kind v0\.20\.0, older than v0\.27: upgrade it, or set IMPFUZZ_KIND/);
  });
});
