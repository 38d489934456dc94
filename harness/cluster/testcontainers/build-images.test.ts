import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertStatic } from "./build-images.ts";

/** A minimal ELF64 little-endian header with one program header of the given type. */
function elfWithProgramHeader(type: number): Buffer {
  const b = Buffer.alloc(64 + 56);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2; // 64-bit
  b[5] = 1; // little-endian
  b.writeBigUInt64LE(64n, 0x20); // e_phoff
  b.writeUInt16LE(56, 0x36); // e_phentsize
  b.writeUInt16LE(1, 0x38); // e_phnum
  b.writeUInt32LE(type, 64);
  return b;
}

describe("assertStatic", () => {
  // Made in a hook, not while collecting: `vitest list` collects without running afterAll.
  let dir = "";
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "impfuzz-test-elf-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("accepts a binary without an interpreter (PT_LOAD only)", async () => {
    const f = join(dir, "static");
    writeFileSync(f, elfWithProgramHeader(1));
    await expect(assertStatic(f)).resolves.toBeUndefined();
  });

  it("rejects a dynamically linked binary, naming CGO_ENABLED=0", async () => {
    const f = join(dir, "dynamic");
    writeFileSync(f, elfWithProgramHeader(3));
    await expect(assertStatic(f)).rejects.toThrow(/dynamically linked.*CGO_ENABLED=0/);
    // Node itself is a dynamically linked executable.
    await expect(assertStatic(process.execPath)).rejects.toThrow(/dynamically linked/);
  });

  it("rejects what is not an ELF executable", async () => {
    const f = join(dir, "script");
    writeFileSync(f, "#!/bin/sh\necho hi\n".padEnd(64, " "));
    await expect(assertStatic(f)).rejects.toThrow(/not a 64-bit little-endian ELF/);
  });
});
